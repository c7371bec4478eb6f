public import Transformer

extension ExplanationEvaluation {
    /// The passes `evaluate` runs at most on a prompt of `n` tokens (equal curve inputs merge, so the count reached
    /// may jump at the end of the curves).
    public static func passCount(_ parameters: EvaluationParameters, tokens n: Int, variant: Bool) -> Int {
        let scores = ExplainerScores.passCount(parameters, tokens: n)
        let curves = CurvePasses.maximumPasses(
            orders: parameters.methods.count + parameters.randomSeeds.count, tokens: n)
        return scores + curves + parameters.noiseSeeds.count * (1 + scores) + (variant ? 1 + scores : 0)
    }

    /// Evaluates `parameters.methods` for `target` on a run of `model` whose forward pass is `trace` (unablated).
    /// `variant` is another prompt's token ids with the same count (else `EvaluationError` on `variant`).
    /// Passes are split over `workers` as `scheduling` says; `progress` after each batch; `shouldContinue` false stops with
    /// `AnalysisCancelled` before the next batch.
    public static func evaluate(
        model: DecoderModel, trace: Trace, target: GradientTarget, parameters: EvaluationParameters,
        variant: [Int]? = nil, workers: Int = 1, scheduling: PassScheduling = PassScheduling(),
        shouldContinue: @escaping @Sendable () -> Bool = { true },
        progress: @escaping @Sendable (EvaluationProgress) -> Void = { _ in }
    ) throws -> ExplanationEvaluation {
        let tokens = trace.tokens, n = tokens.count, d = model.info.dModel
        try parameters.validate(tokens: n, vocabSize: model.info.vocabSize)
        do { try target.validate(tokens: n, vocabSize: model.info.vocabSize) } catch {
            throw EvaluationError(field: "target", "\(error)")
        }
        if let variant, variant.count != n {
            throw EvaluationError(
                field: "variant",
                "has \(variant.count) tokens and the prompt \(n): give a variant with the same token count")
        }
        let total = passCount(parameters, tokens: n, variant: variant != nil)
        let report = { @Sendable (stage: EvaluationProgress.Stage, base: Int, step: Int) in
            progress(EvaluationProgress(done: base + step, total: total, stage: stage))
        }
        let perScores = ExplainerScores.passCount(parameters, tokens: n)
        let input = model.inputEmbeddings(tokens: tokens)

        // 1. Every explainer's scores on the prompt.
        let prompt = try ExplainerScores.compute(
            model: model, trace: trace, input: input, target: target, parameters: parameters, workers: workers,
            shouldContinue: shouldContinue, progress: { report(.scores, 0, $0) })
        let scores = parameters.methods.map { prompt.scores[$0]! }

        // 2. The curves of every method's order and of the random orders, in one set of passes.
        let methodOrders = scores.map(RankStatistics.order)
        let randomOrders = parameters.randomSeeds.map { SeededOrders.permutation(count: n, seed: $0) }
        let passes = scheduling.passes(model: model, tokens: tokens, target: target, workers: workers)
        let (curves, curvePasses) = try CurvePasses(
            passes: passes, input: input,
            baseline: Attribution.baselineRows(model: model, parameters.baseline, tokens: n)
        ).evaluate(
            orders: methodOrders + randomOrders, fractions: parameters.fractions, shouldContinue: shouldContinue,
            progress: { step, _ in report(.curves, perScores, step) })
        let curveEnd = perScores + CurvePasses.maximumPasses(orders: methodOrders.count + randomOrders.count, tokens: n)
        report(.curves, curveEnd, 0)
        let methods = parameters.methods.enumerated().map { i, method in
            MethodEvaluation(
                method: method, scores: scores[i], faithfulness: curves[i],
                completenessGap: method == .ig ? prompt.completenessGap : nil)
        }
        let random = zip(parameters.randomSeeds, curves.suffix(randomOrders.count)).map {
            RandomOrderEvaluation(seed: $0, evaluation: $1)
        }

        // 3. Agreement and consensus.
        let agreement = Agreement.compute(
            methods: parameters.methods, scores: scores, k: parameters.overlapCount(tokens: n))

        // 4. Stability under noise and against the variant.
        let meanNorm = Stability.meanNorm(input, dModel: d)
        var noise: [[Double?]] = parameters.methods.map { _ in [] }
        for (s, seed) in parameters.noiseSeeds.enumerated() {
            let base = curveEnd + s * (1 + perScores)
            let noisy = Stability.noisy(input, sigma: parameters.sigma, meanNorm: meanNorm, seed: seed)
            let copy = try scoresOf(
                model: model, tokens: tokens, input: noisy, target: target, parameters: parameters, workers: workers,
                shouldContinue: shouldContinue, progress: { report(.noise, base, $0) })
            for (i, method) in parameters.methods.enumerated() {
                noise[i].append(RankStatistics.spearman(scores[i], copy.scores[method]!))
            }
        }
        var variantRho: [Double?]?
        if let variant {
            let base = curveEnd + parameters.noiseSeeds.count * (1 + perScores)
            let other = try scoresOf(
                model: model, tokens: variant, input: model.inputEmbeddings(tokens: variant), target: target,
                parameters: parameters, workers: workers, shouldContinue: shouldContinue,
                progress: { report(.variant, base, $0) })
            variantRho = parameters.methods.enumerated().map { i, method in
                RankStatistics.spearman(scores[i], other.scores[method]!)
            }
        }
        let stability = Stability(
            sigma: parameters.sigma, meanEmbeddingNorm: meanNorm, noiseSeeds: parameters.noiseSeeds,
            methods: parameters.methods.enumerated().map { i, method in
                Stability.MethodStability(method: method, noise: noise[i], variant: variantRho?[i])
            }, variantTokens: variant)
        let ends = curves[0].deletion.values
        return ExplanationEvaluation(
            parameters: parameters, target: target, tokens: tokens, value: ends[0], baselineValue: ends[n],
            methods: methods, random: random, agreement: agreement, stability: stability,
            passes: perScores + curvePasses + (parameters.noiseSeeds.count + (variant == nil ? 0 : 1)) * (1 + perScores)
        )
    }

    /// The scores of another input: its traced forward pass (one pass), then the explainers.
    private static func scoresOf(
        model: DecoderModel, tokens: [Int], input: [Float], target: GradientTarget, parameters: EvaluationParameters,
        workers: Int, shouldContinue: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Int) -> Void
    ) throws -> ExplainerScores {
        guard shouldContinue() else { throw AnalysisCancelled() }
        var options = ForwardOptions(logitPositions: [target.position], workers: workers)
        options.inputEmbeddings = input
        let trace = try model.forward(tokens: tokens, options: options)
        progress(1)
        return try ExplainerScores.compute(
            model: model, trace: trace, input: input, target: target, parameters: parameters, workers: workers,
            shouldContinue: shouldContinue, progress: { progress(1 + $0) })
    }
}

extension ExplanationEvaluation {
    /// The scores of `parameters.methods` alone (no curves, no stability) for `target` on a run whose forward pass
    /// is `trace`: what a model comparison needs of each model.
    public static func scores(
        model: DecoderModel, trace: Trace, target: GradientTarget, parameters: EvaluationParameters, workers: Int = 1,
        shouldContinue: @escaping @Sendable () -> Bool = { true }
    ) throws -> [EvaluationMethod: [Double]] {
        try ExplainerScores.compute(
            model: model, trace: trace, input: model.inputEmbeddings(tokens: trace.tokens), target: target,
            parameters: parameters, workers: workers, shouldContinue: shouldContinue, progress: { _ in }
        ).scores
    }
}
