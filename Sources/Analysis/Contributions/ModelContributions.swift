import Tensors
import Transformer

/// The attention and FFN contributions of every layer of one run: what the contribution graph is built from.
/// An immutable value; compute once per run and share.
public struct ModelContributions: Sendable, Equatable {
    /// Per layer.
    public let attention: [AttentionContributions]
    /// Per layer.
    public let ffn: [FFNContributions]

    public init(attention: [AttentionContributions], ffn: [FFNContributions]) {
        precondition(attention.count == ffn.count, "attention and FFN layer counts differ")
        self.attention = attention
        self.ffn = ffn
    }

    /// Layers `L`.
    public var layers: Int { attention.count }
    /// Tokens `n`.
    public var tokens: Int { attention.first?.tokens ?? 0 }
    /// Query heads `H`.
    public var heads: Int { attention.first?.heads ?? 0 }

    /// Computes every layer; targets are split over `workers` (bit-identical for any worker count).
    public static func compute(model: DecoderModel, trace: Trace, workers: Int = 1) throws -> ModelContributions {
        let pool = WorkerPool(workers: workers)
        var attention: [AttentionContributions] = [], ffn: [FFNContributions] = []
        for l in 0..<model.info.layers {
            attention.append(try AttentionContributions.compute(model: model, trace: trace, layer: l, pool: pool))
            ffn.append(FFNContributions.compute(trace: trace, layer: l))
        }
        return ModelContributions(attention: attention, ffn: ffn)
    }

    /// Every layer thresholded and renormalised (attention per target over (source, head); FFN per token).
    public func thresholded(_ threshold: Double) -> ModelContributions {
        ModelContributions(
            attention: attention.map { $0.thresholded(threshold) },
            ffn: ffn.map { $0.thresholded(threshold) })
    }
}
