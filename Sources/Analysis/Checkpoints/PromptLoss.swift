import Foundation
import Transformer

/// The next-token loss of one run: `−log softmax(z_q)[t_{q+1}]` at every position `q = 0 … n−2`, in nats. The logits
/// are computed from the trace's last residual rows a chunk at a time (final norm, LM head, soft-cap: the model's own
/// logits), so the `n × V` logit matrix is never held and the forward pass needs no extra logit positions.
public struct PromptLoss: Sendable, Equatable {
    /// The negative log-likelihood of each next token, `[n − 1]`.
    public let nats: [Double]

    /// Their sum.
    public var total: Double { nats.reduce(0, +) }
    /// Their mean (NaN for a one-token run, which predicts nothing).
    public var mean: Double { nats.isEmpty ? .nan : total / Double(nats.count) }

    public init(nats: [Double]) { self.nats = nats }

    /// The loss of the run's own tokens. `shouldContinue` is asked before each chunk of rows.
    public static func measure(
        model: DecoderModel, trace: Trace, workers: Int = 1, shouldContinue: () -> Bool = { true }
    ) throws -> PromptLoss {
        try ContributionInputs.check(model: model, trace: trace)
        let n = trace.shape.tokens, d = model.info.dModel, tokens = trace.tokens
        guard n >= 2 else { return PromptLoss(nats: []) }
        let last = trace.post(model.info.layers - 1)
        var nats = [Double](repeating: 0, count: n - 1)
        try NextTokenTable.forEachLogitRow(
            model: model, rows: last[last.startIndex..<(last.startIndex + (n - 1) * d)], count: n - 1,
            normalize: true, workers: workers, shouldContinue: shouldContinue
        ) { q, logits in
            nats[q] = -logSoftmax(logits, at: tokens[q + 1])
        }
        return PromptLoss(nats: nats)
    }

    /// `log softmax(x)[i]` in Double.
    static func logSoftmax(_ x: UnsafeBufferPointer<Float>, at i: Int) -> Double {
        var m = -Double.infinity
        for v in x { m = max(m, Double(v)) }
        var sum = 0.0
        for v in x { sum += Foundation.exp(Double(v) - m) }
        return Double(x[i]) - m - Foundation.log(sum)
    }
}
