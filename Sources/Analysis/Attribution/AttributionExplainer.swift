public import Transformer

extension Attribution {
    /// Runs `parameters.method` for `target` on a run of `model` whose forward pass is `trace` (unablated, any
    /// logit positions). Integrated gradients and occlusion run their extra passes split over `workers`, calling
    /// `progress(done, total)` and stopping with `AnalysisCancelled` when `shouldContinue` turns false.
    public static func compute(
        model: DecoderModel, trace: Trace, target: GradientTarget, parameters: AttributionParameters,
        workers: Int = 1, shouldContinue: @escaping @Sendable () -> Bool = { true },
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Attribution {
        try compute(
            model: model, trace: trace, input: model.inputEmbeddings(tokens: trace.tokens), target: target,
            parameters: parameters, workers: workers, shouldContinue: shouldContinue, progress: progress)
    }

    /// `compute` for a pass whose input embeddings `input` (`[n, d]`) are not the tokens' own rows (the noisy
    /// copies of an evaluation's stability check): `trace` must be the forward pass of `input`.
    static func compute(
        model: DecoderModel, trace: Trace, input: [Float], target: GradientTarget, parameters: AttributionParameters,
        workers: Int, shouldContinue: @escaping @Sendable () -> Bool,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void
    ) throws -> Attribution {
        let tokens = trace.tokens, n = tokens.count, d = model.info.dModel
        try target.validate(tokens: n, vocabSize: model.info.vocabSize)
        guard AttributionParameters.stepRange.contains(parameters.steps) else {
            throw AnalysisError("steps must be in \(AttributionParameters.stepRange), not \(parameters.steps)")
        }
        if case .token(let id) = parameters.baseline, id < 0 || id >= model.info.vocabSize {
            throw AnalysisError("baseline token \(id) is outside the vocabulary (0..<\(model.info.vocabSize))")
        }
        let baseline = baselineRows(model: model, parameters.baseline, tokens: n)
        let passes = PerturbedPasses(model: model, tokens: tokens, target: target, workers: workers)
        switch parameters.method {
        case .saliency, .gradxinput, .gradientFlow, .attentionGradient:
            let recordAttention = parameters.method == .attentionGradient
            let gradients = try model.backward(
                trace: trace, target: target,
                options: BackwardOptions(workers: workers, recordAttention: recordAttention))
            progress(1, 1)
            let e = gradients.inputEmbeddings
            switch parameters.method {
            case .saliency:
                return Attribution(
                    parameters: parameters, target: target, value: gradients.value,
                    scores: GradientScores.rowNorms(e, dModel: d, norm: parameters.norm))
            case .gradxinput:
                return Attribution(
                    parameters: parameters, target: target, value: gradients.value,
                    scores: GradientScores.dotRows(e, input, dModel: d))
            case .gradientFlow:
                let flow = GradientScores.flow(gradients)
                return Attribution(
                    parameters: parameters, target: target, value: gradients.value,
                    scores: GradientScores.rowNorms(e, dModel: d), flow: flow)
            default:
                let (maps, scores) = GradientScores.attentionTimesGradient(trace: trace, gradients: gradients)
                return Attribution(
                    parameters: parameters, target: target, value: gradients.value, scores: scores,
                    attentionMaps: maps)
            }
        case .ig:
            return try integratedGradients(
                passes: passes, input: input, baseline: baseline, parameters: parameters, dModel: d,
                shouldContinue: shouldContinue, progress: progress)
        case .occlusion:
            return try occlusion(
                passes: passes, input: input, baseline: baseline, parameters: parameters, dModel: d,
                shouldContinue: shouldContinue, progress: progress)
        }
    }

    /// The baseline's `[n, d]` rows: zeros, or one token's input embedding at every position.
    static func baselineRows(model: DecoderModel, _ baseline: AttributionBaseline, tokens n: Int) -> [Float] {
        switch baseline {
        case .zero: return [Float](repeating: 0, count: n * model.info.dModel)
        case .token(let id): return model.inputEmbeddings(tokens: Array(repeating: id, count: n))
        }
    }

    /// `IG_t = Σ_j (e − e')_{t,j} · (1/m) Σ_i ∂f/∂E(E' + (i − ½)/m · (E − E'))_{t,j}`, plus `f(E')` and the gap.
    private static func integratedGradients(
        passes: PerturbedPasses, input: [Float], baseline: [Float], parameters: AttributionParameters, dModel d: Int,
        shouldContinue: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Int, Int) -> Void
    ) throws -> Attribution {
        let m = parameters.steps, total = parameters.passCount(tokens: input.count / d)
        let outcomes = try passes.run(
            count: m, gradients: true,
            rows: { i in
                let alpha = (Float(i) + 0.5) / Float(m)
                return zip(baseline, input).map { b, e in b + alpha * (e - b) }
            }, shouldContinue: shouldContinue, progress: { progress($0, total) })
        // f(E) and f(E'): the run itself and the all-baseline input.
        let ends = try passes.run(
            count: 2, gradients: false, rows: { $0 == 0 ? input : baseline }, shouldContinue: shouldContinue,
            progress: { progress(m + $0, total) })
        var mean = [Double](repeating: 0, count: input.count)
        for outcome in outcomes {
            for (j, g) in outcome.gradient!.enumerated() { mean[j] += Double(g) }
        }
        let n = input.count / d
        let scores = (0..<n).map { t in
            var sum = 0.0
            for j in (t * d)..<((t + 1) * d) { sum += (Double(input[j]) - Double(baseline[j])) * mean[j] / Double(m) }
            return sum
        }
        let value = ends[0].value, baselineValue = ends[1].value
        return Attribution(
            parameters: parameters, target: passes.target, value: value, scores: scores,
            baselineValue: baselineValue, completenessGap: scores.reduce(0, +) - (value - baselineValue))
    }

    /// `f(E) − f(E with row t replaced by the baseline row)` for every position, plus `f(E')`.
    private static func occlusion(
        passes: PerturbedPasses, input: [Float], baseline: [Float], parameters: AttributionParameters, dModel d: Int,
        shouldContinue: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Int, Int) -> Void
    ) throws -> Attribution {
        let n = input.count / d, total = parameters.passCount(tokens: n)
        // Pass t < n replaces row t; pass n is the run itself; pass n + 1 the all-baseline input.
        let outcomes = try passes.run(
            count: n + 2, gradients: false,
            rows: { t in
                if t == n { return input }
                if t == n + 1 { return baseline }
                var rows = input
                for j in (t * d)..<((t + 1) * d) { rows[j] = baseline[j] }
                return rows
            }, shouldContinue: shouldContinue, progress: { progress($0, total) })
        let value = outcomes[n].value
        return Attribution(
            parameters: parameters, target: passes.target, value: value,
            scores: (0..<n).map { value - outcomes[$0].value }, baselineValue: outcomes[n + 1].value)
    }
}
