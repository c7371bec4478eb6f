import Analysis
import Foundation
import Transformer

/// What `glassbox attribute` prints: the tokens with their scores, the target and what the method adds.
struct AttributionReport: Encodable {
    struct Token: Encodable {
        let id: Int
        let text: String
    }

    struct Target: Encodable {
        let position: Int
        let id: Int
        let text: String
        let objective: String
        let contrast: Int?
        let contrastText: String?
        let f: Double
        let fBaseline: Double?

        enum CodingKeys: String, CodingKey {
            case position, id, text, objective, contrast, f
            case contrastText = "contrast_text"
            case fBaseline = "f_baseline"
        }
    }

    struct Flow: Encodable {
        let pre: [[Double]]
        let mid: [[Double]]
        let post: [[Double]]
    }

    let tokens: [Token]
    let target: Target
    let method: String
    let steps: Int?
    let baseline: String?
    let scores: [Double]
    let completenessGap: Double?
    let relativeCompletenessGap: Double?
    let flow: Flow?
    let attentionMaps: [[Double]]?

    enum CodingKeys: String, CodingKey {
        case tokens, target, method, steps, baseline, scores, flow
        case completenessGap = "completeness_gap"
        case relativeCompletenessGap = "relative_completeness_gap"
        case attentionMaps = "attention_maps"
    }

    init(_ a: Attribution, run: TracedPrompt) {
        let method = a.parameters.method
        tokens = run.ids.map { Token(id: $0, text: run.tokenizer.decode([$0])) }
        target = Target(
            position: a.target.position, id: a.target.token, text: run.tokenizer.decode([a.target.token]),
            objective: a.target.contrast == nil ? a.target.objective.rawValue : "contrast",
            contrast: a.target.contrast, contrastText: a.target.contrast.map { run.tokenizer.decode([$0]) }, f: a.value,
            fBaseline: a.baselineValue)
        self.method = method.rawValue
        steps = method == .ig ? a.parameters.steps : nil
        baseline = method == .ig || method == .occlusion ? a.parameters.baseline.description : nil
        scores = a.scores
        completenessGap = a.completenessGap
        relativeCompletenessGap = a.relativeCompletenessGap
        flow = a.flow.map { Flow(pre: $0.pre, mid: $0.mid, post: $0.post) }
        attentionMaps = a.attentionMaps
        displays = run.displayTokens
    }

    private let displays: [String]

    /// One line per token: position, token, score and a bar (right of the axis for positive scores, left for
    /// negative), scaled to the largest |score|.
    func text() -> String {
        let what =
            target.contrastText.map { "z(\(target.text.debugDescription)) − z(\($0.debugDescription))" }
            ?? "\(target.objective)(\(target.text.debugDescription))"
        var lines = [
            "\(method) of \(what) after position \(target.position): f = " + String(format: "%.6g", target.f)
        ]
        if let gap = completenessGap, let fBaseline = target.fBaseline {
            lines.append(
                "baseline \(baseline ?? "zero"), m = \(steps ?? 0): f(E') = " + String(format: "%.6g", fBaseline)
                    + ", completeness gap " + String(format: "%.3g", gap)
                    + (relativeCompletenessGap.map { String(format: " (%.2g%% of f(E) − f(E'))", 100 * $0) } ?? ""))
        }
        let scale = scores.map(abs).max() ?? 0
        let width = 24
        for (t, score) in scores.enumerated() {
            let length = scale == 0 ? 0 : Int((abs(score) / scale * Double(width)).rounded())
            let left =
                score < 0
                ? String(repeating: " ", count: width - length) + String(repeating: "█", count: length)
                : String(repeating: " ", count: width)
            let right = score > 0 ? String(repeating: "█", count: length) : ""
            lines.append(
                String(format: "%4d  ", t) + displays[t].padding(toLength: 14, withPad: " ", startingAt: 0)
                    + String(format: " %+11.4e ", score) + left + "|" + right)
        }
        return lines.joined(separator: "\n")
    }
}
