import Synchronization
import Transformer

/// Every chosen explainer's scores for one input of one run: the prompt itself, a noisy copy or a variant.
struct ExplainerScores: Sendable {
    /// One score per position, by explainer.
    let scores: [EvaluationMethod: [Double]]
    /// Integrated gradients' completeness gap `Σ IG − (f(E) − f(E'))`, when IG ran.
    let completenessGap: Double?

    /// The passes `compute` runs: one backward for saliency, gradient × input and attention × gradient together,
    /// `m + 2` for integrated gradients, `n + 2` for occlusion; the contribution share reads the trace.
    static func passCount(_ parameters: EvaluationParameters, tokens n: Int) -> Int {
        let methods = parameters.methods
        let gradients = methods.contains { [.saliency, .gradxinput, .attentionGradient].contains($0) } ? 1 : 0
        return gradients + (methods.contains(.ig) ? parameters.steps + 2 : 0)
            + (methods.contains(.occlusion) ? n + 2 : 0)
    }

    /// The scores of `parameters.methods` for `target`, where `trace` is the forward pass of `input` (`[n, d]`).
    /// `progress(done)` counts the passes of `passCount`; `shouldContinue` false stops with `AnalysisCancelled`.
    static func compute(
        model: DecoderModel, trace: Trace, input: [Float], target: GradientTarget, parameters: EvaluationParameters,
        workers: Int, shouldContinue: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Int) -> Void
    ) throws -> ExplainerScores {
        let methods = parameters.methods, d = model.info.dModel
        var scores: [EvaluationMethod: [Double]] = [:]
        var done = 0
        let oneBackward: [EvaluationMethod] = [.saliency, .gradxinput, .attentionGradient]
        if methods.contains(where: oneBackward.contains) {
            guard shouldContinue() else { throw AnalysisCancelled() }
            let gradients = try model.backward(
                trace: trace, target: target,
                options: BackwardOptions(workers: workers, recordAttention: methods.contains(.attentionGradient)))
            let e = gradients.inputEmbeddings
            if methods.contains(.saliency) {
                scores[.saliency] = GradientScores.rowNorms(e, dModel: d, norm: parameters.norm)
            }
            if methods.contains(.gradxinput) { scores[.gradxinput] = GradientScores.dotRows(e, input, dModel: d) }
            if methods.contains(.attentionGradient) {
                scores[.attentionGradient] =
                    GradientScores.attentionTimesGradient(trace: trace, gradients: gradients)
                    .scores
            }
            done += 1
            progress(done)
        }
        var gap: Double?
        for method in [AttributionMethod.ig, .occlusion]
        where methods.contains(where: { $0.attributionMethod == method }) {
            let offset = done
            let result = try Attribution.compute(
                model: model, trace: trace, input: input, target: target, parameters: parameters.attribution(method),
                workers: workers, shouldContinue: shouldContinue, progress: { step, _ in progress(offset + step) })
            scores[method == .ig ? .ig : .occlusion] = result.scores
            if method == .ig { gap = result.completenessGap }
            done += parameters.attribution(method).passCount(tokens: trace.tokens.count)
        }
        if methods.contains(.contributionShare) {
            guard shouldContinue() else { throw AnalysisCancelled() }
            scores[.contributionShare] = try ContributionShare.compute(
                model: model, trace: trace, position: target.position, workers: workers)
        }
        return ExplainerScores(scores: scores, completenessGap: gap)
    }
}
