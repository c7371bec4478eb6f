import Foundation
import Tensors
import Transformer

/// What removing each head and each layer does to the model's prediction (`docs/analyses.md` §4): one real forward
/// pass per head with its output zeroed and per layer skipped, each compared with the unablated pass on the
/// log-probability of the token the model predicts after the last position.
public struct AblationEffects: Sendable, Equatable {
    /// One ablated pass.
    public struct Effect: Sendable, Equatable {
        public let layer: Int
        /// The zeroed head, or nil for a skipped layer.
        public let head: Int?
        /// `log p_ablated(predicted) − log p(predicted)`, in nats.
        public let deltaLogProbability: Double
        /// The ablated pass's top token.
        public let top: Int
    }

    /// The unablated prediction after the last position.
    public let predicted: Int
    public let logProbability: Double
    /// Every head, in (layer, head) order.
    public let heads: [Effect]
    /// Every layer.
    public let layers: [Effect]

    /// Number of forward passes `measure` runs for a model: one per head and one per layer.
    public static func passes(for info: ModelInfo) -> Int { info.layers * info.heads + info.layers }

    /// Runs the ablated passes. `baseline` is the unablated trace of the same tokens. `progress(done)` is called after
    /// each pass; `shouldContinue` before each (return false to stop with `AnalysisCancelled`).
    public static func measure(
        model: DecoderModel, baseline: Trace, workers: Int = 1,
        shouldContinue: () -> Bool = { true }, progress: (Int) -> Void = { _ in }
    )
        throws -> AblationEffects
    {
        try ContributionInputs.check(model: model, trace: baseline)
        let n = baseline.shape.tokens
        guard let base = baseline.logits(at: n - 1) else {
            throw AnalysisError("the baseline run has no logits at its last position")
        }
        let baseLog = logSoftmax(Array(base))
        let predicted = TopK.largest(Array(base), 1)[0]
        // The passes stop before the LM head; their last rows are unembedded together afterwards, so the head's
        // weights are streamed once per chunk of passes instead of once per pass.
        let L = model.info.layers, H = model.info.heads, d = model.info.dModel
        let plan =
            (0..<L).flatMap { l in (0..<H).map { (Ablation.head(layer: l, head: $0), l, Optional($0)) } }
            + (0..<L).map { (Ablation.layer($0), $0, Int?.none) }
        var rows = [Float]()
        rows.reserveCapacity(plan.count * d)
        for (done, (ablation, _, _)) in plan.enumerated() {
            guard shouldContinue() else { throw AnalysisCancelled() }
            var options = ForwardOptions(
                logitPositions: baseline.shape.logitPositions, workers: workers,
                ablation: ablation)
            options.computeLogits = false
            let trace = try model.forward(tokens: baseline.tokens, options: options, reusing: baseline)
            let last = trace.post(L - 1)
            rows += last[(last.startIndex + (n - 1) * d)..<(last.startIndex + n * d)]
            progress(done + 1)
        }
        var effects: [Effect] = []
        try NextTokenTable.forEachLogitRow(
            model: model, rows: rows[...], count: plan.count, normalize: true,
            workers: workers, shouldContinue: shouldContinue
        ) { i, logits in
            let row = Array(logits)
            effects.append(
                Effect(
                    layer: plan[i].1, head: plan[i].2,
                    deltaLogProbability: logSoftmax(row)[predicted] - baseLog[predicted],
                    top: TopK.largest(row, 1)[0]))
        }
        return AblationEffects(
            predicted: predicted, logProbability: baseLog[predicted],
            heads: Array(effects.prefix(L * H)), layers: Array(effects.suffix(L)))
    }

    /// `log softmax(x)` in Double.
    public static func logSoftmax(_ x: [Float]) -> [Double] {
        let m = Double(x.max() ?? 0)
        let log = Foundation.log(x.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) }) + m
        return x.map { Double($0) - log }
    }
}
