/// How many findings of each anomaly kind (`docs/analyses.md` §3) a set of prompts produced: the number a checkpoint
/// series follows over training.
public struct AnomalyCounts: Sendable, Equatable {
    /// High-attention hits: (layer, head, query) over a key, every key counted.
    public var highAttention = 0
    /// Heads with uniform attention.
    public var uniformAttention = 0
    /// Dead heads.
    public var deadHeads = 0
    /// Outlier activations: (layer, position, dimension) entries.
    public var outlierActivations = 0
    /// Prompts whose last-position prediction appears under the lens before the layer it settles at.
    public var lensFlips = 0

    /// The kinds in the API's order, with their JSON names.
    public static let kinds = [
        "high_attention", "uniform_attention", "dead_head", "outlier_activation", "logit_lens_flip"
    ]

    public init() {}

    /// The findings of one prompt: its anomalies and the lens flip of its last position.
    public init(_ anomalies: AttentionAnomalies, lastPosition flip: LensFlip) {
        highAttention = anomalies.highAttention.reduce(0) { $0 + $1.hits.count }
        uniformAttention = anomalies.uniformAttention.count
        deadHeads = anomalies.deadHeads.count
        outlierActivations = anomalies.outlierActivations.count
        lensFlips = flip.stays ? 0 : 1
    }

    /// The count of kind `name` (one of `kinds`).
    public func count(of name: String) -> Int? {
        switch name {
        case "high_attention": return highAttention
        case "uniform_attention": return uniformAttention
        case "dead_head": return deadHeads
        case "outlier_activation": return outlierActivations
        case "logit_lens_flip": return lensFlips
        default: return nil
        }
    }

    public static func + (a: AnomalyCounts, b: AnomalyCounts) -> AnomalyCounts {
        var sum = a
        sum.highAttention += b.highAttention
        sum.uniformAttention += b.uniformAttention
        sum.deadHeads += b.deadHeads
        sum.outlierActivations += b.outlierActivations
        sum.lensFlips += b.lensFlips
        return sum
    }
}
