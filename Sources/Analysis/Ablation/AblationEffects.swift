import Foundation
import Transformer

/// What removing each head and each layer does to the model's prediction (spec `analyses.md` §4): one real forward
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

    /// Thrown when `shouldContinue` returns false between passes.
    public struct Cancelled: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the ablation was cancelled" }
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
    /// each pass; `shouldContinue` before each (return false to stop with `Cancelled`).
    public static func measure(model: DecoderModel, baseline: Trace, workers: Int = 1,
                               shouldContinue: () -> Bool = { true }, progress: (Int) -> Void = { _ in })
        throws -> AblationEffects {
        try ContributionInputs.check(model: model, trace: baseline)
        let n = baseline.shape.tokens
        guard let base = baseline.logits(at: n - 1) else {
            throw AnalysisError("the baseline run has no logits at its last position")
        }
        let baseLog = logSoftmax(Array(base))
        let predicted = TopK.largest(Array(base), 1)[0]
        var done = 0
        func effect(_ ablation: Ablation, layer: Int, head: Int?) throws -> Effect {
            guard shouldContinue() else { throw Cancelled() }
            let options = ForwardOptions(workers: workers, ablation: ablation)
            let trace = try model.forward(tokens: baseline.tokens, options: options)
            let logits = Array(trace.logits(at: n - 1)!)
            done += 1
            progress(done)
            return Effect(layer: layer, head: head, deltaLogProbability: logSoftmax(logits)[predicted] - baseLog[predicted],
                          top: TopK.largest(logits, 1)[0])
        }
        let L = model.info.layers, H = model.info.heads
        var heads: [Effect] = []
        for l in 0..<L {
            for h in 0..<H { heads.append(try effect(.head(layer: l, head: h), layer: l, head: h)) }
        }
        let layers = try (0..<L).map { try effect(.layer($0), layer: $0, head: nil) }
        return AblationEffects(predicted: predicted, logProbability: baseLog[predicted], heads: heads, layers: layers)
    }

    /// `log softmax(x)` in Double.
    public static func logSoftmax(_ x: [Float]) -> [Double] {
        let m = Double(x.max() ?? 0)
        let log = Foundation.log(x.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) }) + m
        return x.map { Double($0) - log }
    }
}
