import Analysis
import Foundation
import JSON
import Transformer

/// The endpoint of gradient and perturbation attributions (`Analysis/Attribution`, `docs/analyses.md` §6).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/attributions`: one method's score per position for a target (`top`, an id or a one-token
    /// text; `logit` or `logprob`; optionally `contrast`), with the completeness gap of integrated gradients, the
    /// gradient-flow map or the attention × gradient maps.
    static func attributions(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        let request = try attributionRequest(run, q, workers: workers)
        return Prepared { .json(try request.compute({ true }, { _, _ in })) }
    }

    /// A checked attributions query: what it computes, and in how many progress steps (integrated gradients and
    /// occlusion count their passes), for the plain endpoint and for `POST /api/runs/{id}/attributions/jobs`.
    struct AttributionRequest: Sendable {
        let method: AttributionMethod
        let total: Int
        let compute:
            @Sendable (
                _ shouldContinue: @escaping @Sendable () -> Bool,
                _ progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void
            ) throws -> Data
    }

    static func attributionRequest(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> AttributionRequest {
        try q.allow(["method", "steps", "baseline", "target", "objective", "contrast", "position", "norm"])
        let model = run.model.model, tokenizer = run.model.tokenizer, V = model.info.vocabSize
        let n = run.trace.shape.tokens
        let method = AttributionMethod(
            rawValue: try q.choice("method", AttributionMethod.allCases.map(\.rawValue)))!
        let steps = try q.int("steps", in: AttributionParameters.stepRange, default: 32)
        let objective = GradientTarget.Objective(
            rawValue: try q.choice("objective", ["logit", "logprob"], default: "logit"))!
        let norm = AttributionNorm(rawValue: try q.choice("norm", ["l2", "l1"], default: "l2"))!
        let position = try q.token("position", count: n, default: n - 1)
        let baseline: AttributionBaseline
        do {
            baseline = try AttributionBaseline(
                parsing: q.string("baseline") ?? "zero", vocabSize: V, padTokenID: tokenizer.padTokenID,
                unkTokenID: tokenizer.unkTokenID)
        } catch { throw ServiceError.badParameter("baseline", "\(error)") }
        let targetSpec = TargetTokenSpec(q.string("target") ?? "top")
        let logits: @Sendable () throws -> ArraySlice<Float> = {
            if let row = run.trace.logits(at: position) { return row }
            return try model.forward(tokens: run.trace.tokens, options: ForwardOptions(logitPositions: [position]))
                .logits(at: position)!
        }
        // Ids and texts are checked here (400s); `top` may need the logits of another position, computed later.
        func resolve(_ spec: TargetTokenSpec, _ name: String) throws -> Int? {
            if spec == .top { return nil }
            do { return try spec.resolve(tokenizer: tokenizer, vocabSize: V, logits: logits) } catch {
                throw ServiceError.badParameter(name, "\(error)")
            }
        }
        let fixedTarget = try resolve(targetSpec, "target")
        let contrast = try q.string("contrast").map { text -> Int in
            let spec = TargetTokenSpec(text)
            guard spec != .top else {
                throw ServiceError.badParameter("contrast", "must be a token id or text, not top")
            }
            return try resolve(spec, "contrast")!
        }
        if let contrast, let fixedTarget, contrast == fixedTarget {
            throw ServiceError.badParameter("contrast", "is the target token (\(contrast)): f would be 0")
        }
        let parameters = AttributionParameters(method: method, steps: steps, baseline: baseline, norm: norm)
        return AttributionRequest(method: method, total: parameters.passCount(tokens: n)) { shouldContinue, progress in
            let token = try fixedTarget ?? targetSpec.resolve(tokenizer: tokenizer, vocabSize: V, logits: logits)
            guard token != contrast else {
                throw ServiceError.badParameter("contrast", "is the top-1 target token (\(token)): f would be 0")
            }
            let target = GradientTarget(position: position, token: token, objective: objective, contrast: contrast)
            let result = try Attribution.compute(
                model: model, trace: run.trace, target: target, parameters: parameters, workers: workers,
                shouldContinue: shouldContinue, progress: progress)
            var w = JSONWriter(capacity: 1024 + n * 24 + (result.attentionMaps?.count ?? 0) * n * n * 12)
            w.object { o in
                o.field("method", method.rawValue)
                o.field("tokens") { AnalysisEndpoints.tokens(run, into: &$0) }
                o.field("target") { w in
                    w.object { t in
                        t.field("position", position)
                        t.token("token", token, display(run, token))
                        t.field("objective", contrast == nil ? objective.rawValue : "contrast")
                        if let contrast { t.token("contrast", contrast, display(run, contrast)) }
                        t.field("f", result.value)
                        if let value = result.baselineValue { t.field("f_baseline", value) }
                    }
                }
                if method == .ig { o.field("steps", steps) }
                if method == .ig || method == .occlusion { o.field("baseline", baseline.description) }
                if method == .saliency { o.field("norm", norm.rawValue) }
                o.field("scores") { $0.array(result.scores) { $0.number($1) } }
                if let gap = result.completenessGap {
                    o.field("completeness_gap", gap)
                    o.field("relative_completeness_gap", result.relativeCompletenessGap!)
                }
                if let flow = result.flow {
                    o.field("flow") { w in
                        w.object { f in
                            for (name, map) in [("pre", flow.pre), ("mid", flow.mid), ("post", flow.post)] {
                                f.field(name) { $0.array(map) { w, row in w.array(row) { $0.number($1) } } }
                            }
                        }
                    }
                }
                if let maps = result.attentionMaps {
                    o.field("attention_maps") { $0.array(maps) { w, map in w.array(map) { $0.number($1) } } }
                }
            }
            return w.data
        }
    }
}
