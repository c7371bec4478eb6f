import Analysis
import Foundation
import Tokenizers
import Transformer

/// The figures of one prompt that the rules read: one number per metric, and one KL divergence per baseline.
public struct CheckMeasurement: Sendable {
    public let prompt: CheckPrompt
    /// The prompt's token ids as the model's tokenizer gives them.
    public let tokens: [Int]
    /// Every measured metric but `kl_to_baseline`; the expected-continuation metrics only for a prompt with one.
    public let values: [CheckMetric: Double]
    /// `kl_to_baseline` by baseline (as the rules name it).
    public let klDivergences: [String: Double]
    /// The first token of the expected continuation, and its display string.
    public let expectedToken: (id: Int, display: String)?
    /// The most likely next token, and its display string.
    public let top1: (id: Int, display: String)
    public let seconds: Double

    public init(
        prompt: CheckPrompt, tokens: [Int], values: [CheckMetric: Double], klDivergences: [String: Double] = [:],
        expectedToken: (id: Int, display: String)? = nil, top1: (id: Int, display: String), seconds: Double = 0
    ) {
        self.prompt = prompt
        self.tokens = tokens
        self.values = values
        self.klDivergences = klDivergences
        self.expectedToken = expectedToken
        self.top1 = top1
        self.seconds = seconds
    }

    /// The value `rule` reads, or nil when the prompt cannot give it (no expected continuation).
    public func value(for rule: CheckRule) -> Double? {
        if rule.metric == .klToBaseline { return rule.baseline.flatMap { klDivergences[$0] } }
        return values[rule.metric]
    }

    /// The first token of `expected` after a prompt whose tokens are `ids`: the token after `ids` when the tokenizer
    /// splits `prompt + expected` into `ids` followed by more; otherwise (a token spans the boundary) the first
    /// token of `expected` tokenized alone, a BOS the tokenizer adds left out.
    public static func expectedToken(
        prompt: String, ids: [Int], expected: String, tokenizer: any Tokenizer
    ) throws -> Int {
        let joint = try tokenizer.encode(prompt + expected)
        if joint.count > ids.count && Array(joint.prefix(ids.count)) == ids { return joint[ids.count] }
        var alone = try tokenizer.encode(expected)
        if let bos = tokenizer.bosTokenID, alone.first == bos { alone.removeFirst() }
        guard let first = alone.first else {
            throw CheckError("the expected continuation \"\(expected)\" encodes to no tokens")
        }
        return first
    }

    /// The attention and anomaly figures of a trace that `metrics` asks for.
    public static func attentionFigures(
        model: DecoderModel, trace: Trace, metrics: Set<CheckMetric>
    ) throws -> [CheckMetric: Double] {
        var values: [CheckMetric: Double] = [:]
        if metrics.contains(where: \.needsAnomalies) {
            let anomalies = AttentionAnomalies(
                trace: trace, headOutputNorms: try HeadOutputNorms(model: model, trace: trace))
            values[.deadHeads] = Double(anomalies.deadHeads.count)
            values[.uniformHeads] = Double(anomalies.uniformAttention.count)
            values[.highAttentionHits] = Double(anomalies.highAttention.reduce(0) { $0 + $1.hits.count })
            values[.outlierActivations] = Double(anomalies.outlierActivations.count)
        }
        if metrics.contains(.sinkShare) {
            let heads = try HeadMetrics.all(trace: trace).joined()
            values[.sinkShare] = heads.reduce(0.0) { $0 + $1.firstToken } / Double(heads.count)
        }
        return values.filter { metrics.contains($0.key) }
    }
}

/// A check that cannot run: a prompt the model cannot take, a baseline that shares no vocabulary string.
public struct CheckError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// A baseline model of `kl_to_baseline` rules (named as the rules name it), loaded by the caller.
public typealias CheckBaseline = NamedModel

/// Measures prompts for a set of rules: one traced forward pass of the model per prompt (and one of each baseline
/// when a rule compares with it), then only the figures the rules use.
public struct CheckMeasurer: Sendable {
    public let model: DecoderModel
    public let tokenizer: any Tokenizer
    public let metrics: Set<CheckMetric>
    public let baselines: [CheckBaseline]
    public let workers: Int
    /// The vocabulary strings the model shares with each baseline, in `baselines` order.
    let alignments: [VocabularyAlignment]

    /// Aligns each baseline's vocabulary with the model's (`VocabularyAlignment`: tokens keyed by their display
    /// strings, so models with different tokenizers compare on the strings both have); a baseline that shares no
    /// string with the model is refused.
    public init(
        model: DecoderModel, tokenizer: any Tokenizer, metrics: Set<CheckMetric>, baselines: [CheckBaseline] = [],
        workers: Int = 1
    ) throws {
        let vocabulary = Self.vocabulary(model, tokenizer)
        alignments = try baselines.map { baseline in
            let alignment = VocabularyAlignment(
                a: vocabulary, b: Self.vocabulary(baseline.model, baseline.tokenizer))
            guard !alignment.shared.isEmpty else {
                throw CheckError("the baseline \(baseline.name) shares no vocabulary string with the model")
            }
            return alignment
        }
        self.model = model
        self.tokenizer = tokenizer
        self.metrics = metrics
        self.baselines = baselines
        self.workers = workers
    }

    /// The display string of every id the model has a logit for.
    static func vocabulary(_ model: DecoderModel, _ tokenizer: any Tokenizer) -> [String] {
        (0..<model.info.vocabSize).map { tokenizer.displayString(for: $0) }
    }

    /// The figures of one prompt. A prompt the model cannot take is a `CheckError` naming its line.
    public func measure(_ prompt: CheckPrompt) throws -> CheckMeasurement {
        let start = DispatchTime.now()
        let runner = PromptRunner(model: model, tokenizer: tokenizer)
        let run: PromptRun
        do { run = try runner.run(prompt.text, options: ForwardOptions(workers: workers)) } catch let error
            as PromptError
        {
            throw CheckError("the prompt on line \(prompt.line): \(error)")
        }
        let next = NextTokenFigures(logits: run.trace.logits(at: run.ids.count - 1) ?? [])
        var values = try CheckMeasurement.attentionFigures(model: model, trace: run.trace, metrics: metrics)
        values[.top1Probability] = next.top1Probability
        values[.nextTokenEntropy] = next.entropy
        var expected: (id: Int, display: String)?
        if let text = prompt.expected {
            let id: Int
            do {
                id = try CheckMeasurement.expectedToken(
                    prompt: prompt.text, ids: run.ids, expected: text, tokenizer: tokenizer)
            } catch {
                throw CheckError("the prompt on line \(prompt.line): \(error)")
            }
            expected = (id, tokenizer.displayString(for: id))
            values[.expectedProbability] = next.probability(of: id)
            values[.expectedRank] = Double(next.rank(of: id))
            values[.expectedIsTop1] = next.top1 == id ? 1 : 0
        }
        var divergences: [String: Double] = [:]
        if metrics.contains(.klToBaseline) {
            for (baseline, alignment) in zip(baselines, alignments) {
                let other: PromptRun
                do {
                    other = try PromptRunner(model: baseline.model, tokenizer: baseline.tokenizer).run(
                        prompt.text, options: ForwardOptions(workers: workers))
                } catch let error as PromptError {
                    throw CheckError("the prompt on line \(prompt.line), on the baseline \(baseline.name): \(error)")
                }
                let q = NextTokenFigures(logits: other.trace.logits(at: other.ids.count - 1) ?? [])
                divergences[baseline.name] =
                    try alignment.compare(
                        logProbabilitiesA: next.logProbabilities, logProbabilitiesB: q.logProbabilities
                    ).klAB
            }
        }
        return CheckMeasurement(
            prompt: prompt, tokens: run.ids, values: values.filter { metrics.contains($0.key) },
            klDivergences: divergences, expectedToken: expected,
            top1: (next.top1, tokenizer.displayString(for: next.top1)),
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
}
