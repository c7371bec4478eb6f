import Analysis
import Foundation
import Tokenizers
import Transformer

/// Prompts run side by side (`docs/analyses.md` §5): a pair (bias probes such as "The doctor said that he/she"),
/// one slot filled into several templates, or the same sentence in several languages. For each prompt: the next-token
/// distribution, the log-probability of chosen target tokens and each head's metrics and attention from the last
/// position to the aligned key tokens; across prompts: differences (pairs) or variances (sets).
///
/// Alignment is by the marked spans (`[[...]]`, the same number in every prompt; a template's slot is its span), or
/// without marks by identical token strings: each distinct token of the first prompt that occurs in every prompt,
/// at its first occurrence.
public struct PromptComparison: Sendable {
    public enum Kind: String, Sendable { case pair, templates, set }

    /// One target token: the first token of the target text (without BOS).
    public struct Target: Sendable {
        public let text: String
        public let id: Int
        /// The target text took more than one token; only the first is scored.
        public let truncated: Bool
    }

    /// One prompt's side.
    public struct Side: Sendable {
        public let label: String
        public let text: String
        public let tokens: [Int]
        public let displays: [String]
        public let spans: [[Int]]
        public let predictions: [NextTokenTable.Prediction]
        /// `log p(target)` after the last position, per target.
        public let targetLogProbabilities: [Double]
        /// `[layer][head]`.
        public let metrics: [[HeadMetrics]]
        /// `[layer][head][group]`: Σ over the group's positions of the last query's attention.
        public let alignedAttention: [[[Double]]]
        /// Rollout share (last row) of the first span's tokens, or nil without spans.
        public let spanRolloutShare: Double?
    }

    /// An aligned group: a label and its positions in each prompt.
    public struct Group: Sendable {
        public let label: String
        public let positions: [[Int]]
    }

    public let kind: Kind
    public let alignment: String
    public let targets: [Target]
    public let sides: [Side]
    public let groups: [Group]

    /// Runs the prompts. `labels` name them (languages, templates); `targets` are texts whose first token is scored.
    public static func compare(
        kind: Kind, prompts: [String], labels: [String]? = nil, targets: [String],
        model: DecoderModel, tokenizer: any Tokenizer, topK: Int = 5, maxTokens: Int = 512,
        workers: Int = 1
    ) throws -> PromptComparison {
        guard prompts.count >= 2 else {
            throw ReportError("a comparison needs at least two prompts, got \(prompts.count)")
        }
        if kind == .pair && prompts.count != 2 {
            throw ReportError("a pair has exactly two prompts, got \(prompts.count)")
        }
        if let labels, labels.count != prompts.count {
            throw ReportError(
                "\(labels.count) labels for \(prompts.count) prompts: give one label per prompt",
                parameter: "labels")
        }
        let marked = try prompts.map(MarkedPrompt.init)
        let spanCounts = marked.map(\.spans.count)
        if let bad = spanCounts.indices.first(where: { spanCounts[$0] != spanCounts[0] }) {
            throw ReportError(
                "mismatched prompts: prompt 1 marks \(spanCounts[0]) span(s) with [[...]] but prompt "
                    + "\(bad + 1) marks \(spanCounts[bad]); mark the same spans in every prompt")
        }
        let resolved = try targets.map { text -> Target in
            guard !text.isEmpty else { throw ReportError("a target is empty", parameter: "targets") }
            var ids = try tokenizer.encode(text)
            if ids.first != nil && ids.first == tokenizer.bosTokenID { ids.removeFirst() }
            guard let first = ids.first else {
                throw ReportError("the target \"\(text)\" has no tokens", parameter: "targets")
            }
            return Target(text: text, id: first, truncated: ids.count > 1)
        }
        // Every prompt is tokenized and checked before any forward pass; the passes then run one at a time and
        // only their measurements are kept (a trace of a long prompt is hundreds of MB).
        let runner = PromptRunner(model: model, tokenizer: tokenizer, maxTokens: maxTokens)
        var tokenLists: [[Int]] = []
        for (i, m) in marked.enumerated() {
            guard !m.text.isEmpty else { throw ReportError("prompt \(i + 1) is empty") }
            tokenLists.append(try ReportError.prompt("prompt \(i + 1)") { try runner.tokenize(m.text) })
        }
        let spans = zip(marked, tokenLists).map { $0.positions(of: $1, tokenizer: tokenizer) }
        for (i, list) in spans.enumerated() {
            if let empty = list.firstIndex(where: \.isEmpty) {
                throw ReportError("prompt \(i + 1): marked span \(empty + 1) covers no token")
            }
        }
        let displays = tokenLists.map { $0.map(tokenizer.displayString(for:)) }
        let groups: [Group]
        let alignment: String
        if spanCounts[0] > 0 {
            alignment = "spans"
            groups = (0..<spanCounts[0]).map { s in
                Group(label: Self.spanText(marked[0], s), positions: spans.map { $0[s] })
            }
        } else {
            alignment = "tokens"
            var seen = Set<Int>(), found: [Group] = []
            for id in tokenLists[0] where !seen.contains(id) && id != tokenizer.bosTokenID {
                seen.insert(id)
                let firsts = tokenLists.map { $0.firstIndex(of: id) }
                if firsts.allSatisfy({ $0 != nil }) {
                    found.append(Group(label: tokenizer.displayString(for: id), positions: firsts.map { [$0!] }))
                }
            }
            groups = found
        }
        let sides = try tokenLists.indices.map { i -> Side in
            let run = try runner.run(ids: tokenLists[i], options: ForwardOptions(workers: workers))
            let trace = run.trace, n = trace.shape.tokens
            let logp = AblationEffects.logSoftmax(Array(trace.logits(at: n - 1)!))
            let aligned = (0..<trace.shape.layers).map { l in
                (0..<trace.shape.heads).map { h in
                    let a = trace.attention(layer: l, head: h)
                    return groups.map { g in
                        g.positions[i].reduce(0.0) { $0 + Double(a[a.startIndex + (n - 1) * n + $1]) }
                    }
                }
            }
            var share: Double? = nil
            if let first = spans[i].first {
                let rollout = try AttentionRollout.compute(trace: trace)
                share = first.reduce(0.0) { $0 + rollout[(n - 1) * n + $1] }
            }
            return Side(
                label: labels?[i] ?? "prompt \(i + 1)", text: marked[i].text, tokens: tokenLists[i],
                displays: displays[i], spans: spans[i], predictions: run.predictions(k: topK),
                targetLogProbabilities: resolved.map { logp[$0.id] },
                metrics: try HeadMetrics.all(trace: trace), alignedAttention: aligned, spanRolloutShare: share)
        }
        return PromptComparison(kind: kind, alignment: alignment, targets: resolved, sides: sides, groups: groups)
    }

    static func spanText(_ m: MarkedPrompt, _ s: Int) -> String {
        String(decoding: Array(m.text.utf8)[m.spans[s]], as: UTF8.self)
    }

    /// The population variance of `values` (NaN-free).
    public static func variance(_ values: [Double]) -> Double {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return .nan }
        let mean = finite.reduce(0, +) / Double(finite.count)
        return finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)
    }
}
