import JSON
import Analysis
import Foundation
import Transformer

/// The attribution of a generated continuation (inseq's main view): for every generated token, the score of each
/// earlier token in its prediction, as a generated-token × source matrix. By the contribution graph
/// (`ContributionShare` at the position that predicted it, the default) or by one of the gradient and perturbation
/// methods of `docs/analyses.md` §6 (`Attribution.compute` with that token as the target at that position).
extension AnalysisEndpoints {
    /// The methods a row can come from: the contribution share, then the attribution methods.
    static let generationAttributionMethods = ["contribution-share"] + AttributionMethod.allCases.map(\.rawValue)

    /// `GET /api/runs/{id}/generation-attribution?from&method&steps&baseline&objective`: rows for the tokens at
    /// positions `from…n−1` (default the run's `generated_from`, else the last token), each the scores of positions
    /// `0…n−2` in the prediction made at the position before it. A position at or after the token it explains
    /// cannot act on that prediction (the model is causal): its score is 0.
    static func generationAttribution(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["from", "method", "steps", "baseline", "objective"])
        let model = run.model.model, tokenizer = run.model.tokenizer
        let n = run.trace.shape.tokens
        guard n >= 2 else { throw ServiceError.badParameter("from", "a run of one token has no predicted token") }
        let generated = (try? JSONSerialization.jsonObject(with: run.summary) as? [String: Any])?["generated_from"]
        let from = try q.int("from", in: 1...(n - 1), default: (generated as? Int) ?? (n - 1))
        let methodName = try q.choice("method", generationAttributionMethods, default: "contribution-share")
        let method = AttributionMethod(rawValue: methodName)
        let steps = try q.int("steps", in: AttributionParameters.stepRange, default: 16)
        let objective = GradientTarget.Objective(
            rawValue: try q.choice("objective", ["logit", "logprob"], default: "logit"))!
        let baseline: AttributionBaseline
        do {
            baseline = try AttributionBaseline(
                parsing: q.string("baseline") ?? "zero", vocabSize: model.info.vocabSize,
                padTokenID: tokenizer.padTokenID, unkTokenID: tokenizer.unkTokenID)
        } catch { throw ServiceError.badParameter("baseline", "\(error)") }
        if method == nil {
            for name in ["steps", "baseline", "objective"] where q.string(name) != nil {
                throw ServiceError.badParameter(name, "only with a gradient or perturbation method, not \(methodName)")
            }
        }
        return Prepared {
            let rows: [[Double]]
            if let method {
                let parameters = AttributionParameters(method: method, steps: steps, baseline: baseline)
                rows = try (from..<n).map { j in
                    let target = GradientTarget(position: j - 1, token: run.trace.tokens[j], objective: objective)
                    let result = try Attribution.compute(
                        model: model, trace: run.trace, target: target, parameters: parameters, workers: workers)
                    return result.scores.enumerated().map { t, score in t < j ? score : 0 }
                }
            } else {
                let contributions = try run.contributions(workers: workers)
                rows = (from..<n).map { j in ContributionShare.scores(contributions, position: j - 1) }
            }
            var w = JSONWriter(capacity: 1024 + rows.count * n * 12)
            w.object { o in
                o.field("method", methodName)
                if let method {
                    o.field("steps", steps)
                    o.field("baseline", baseline.description)
                    o.field("objective", objective.rawValue)
                    o.field("signed", [.gradxinput, .ig, .occlusion].contains(method))
                } else {
                    o.field("signed", false)
                }
                o.field("from", from)
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("generated") { w in
                    w.array(from..<n) { w, j in
                        w.object { t in
                            t.field("position", j)
                            t.field("id", run.trace.tokens[j])
                            t.field("display", display(run, run.trace.tokens[j]))
                        }
                    }
                }
                o.field("scores") { w in
                    w.array(rows) { w, row in w.array(row.prefix(n - 1).map { Float($0) }) }
                }
            }
            return .json(w.data)
        }
    }
}
