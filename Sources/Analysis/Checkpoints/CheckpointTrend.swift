/// One series-level number followed over the checkpoints: a value per checkpoint, in training order.
public struct CheckpointTrend: Sendable, Equatable {
    /// How the values move from one checkpoint to the next.
    public enum Direction: String, Sendable {
        /// Every step up.
        case rising
        /// Every step down.
        case falling
        /// Every value equal.
        case flat
        /// Up and down (or a missing value).
        case mixed
    }

    /// One of `names`.
    public let name: String
    /// One per checkpoint; NaN where the checkpoint does not have the number (redundant heads without ablation).
    public let values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    /// The trends a series reports, in order: the loss, the sink share, the largest previous-token share of any head,
    /// the mean normalised entropy over the heads, the mean settled layer of the last positions, the number of
    /// redundant heads and the five anomaly counts (`AnomalyCounts.kinds`).
    public static let names =
        [
            "loss", "sink_share", "max_previous_token", "mean_normalized_entropy", "mean_settled_layer",
            "redundant_heads"
        ] + AnomalyCounts.kinds

    /// What a trend means, for a chart's caption.
    public static func caption(_ name: String) -> String {
        switch name {
        case "loss": return "mean next-token loss over the prompts (nats)"
        case "sink_share": return "mean first-token share over the heads"
        case "max_previous_token": return "largest previous-token share of any head"
        case "mean_normalized_entropy": return "mean normalised attention entropy over the heads"
        case "mean_settled_layer": return "mean layer where the last position's prediction settles under the lens"
        case "redundant_heads": return "heads whose zeroing changes log p by < 0.01 nats"
        case "high_attention": return "high-attention hits (weights > 0.9, key 0 excluded)"
        case "uniform_attention": return "uniform-attention heads, summed over the prompts"
        case "dead_head": return "dead heads, summed over the prompts"
        case "outlier_activation": return "outlier activations (layer, position, dimension)"
        case "logit_lens_flip": return "prompts whose prediction appears before it settles"
        default: return name
        }
    }

    /// The value of trend `name` for one checkpoint (NaN for an unknown name).
    public static func value(_ name: String, of c: CheckpointMeasurement) -> Double {
        switch name {
        case "loss": return c.loss
        case "sink_share": return c.sinkShare
        case "max_previous_token": return c.heads.map { $0.mean("previous_token") }.max() ?? .nan
        case "mean_normalized_entropy":
            return c.heads.reduce(0.0) { $0 + $1.mean("normalized_entropy") } / Double(max(c.heads.count, 1))
        case "mean_settled_layer": return c.meanSettledLayer
        case "redundant_heads": return c.redundantHeads.map { Double($0.count) } ?? .nan
        default: return c.anomalyCounts.count(of: name).map(Double.init) ?? .nan
        }
    }

    /// Every trend of `names` over `checkpoints`.
    public static func all(_ checkpoints: [CheckpointMeasurement]) -> [CheckpointTrend] {
        names.map { name in CheckpointTrend(name: name, values: checkpoints.map { value(name, of: $0) }) }
    }

    /// How the values move.
    public var direction: Direction {
        guard values.allSatisfy(\.isFinite), values.count >= 2 else { return .mixed }
        let steps = zip(values, values.dropFirst())
        if steps.allSatisfy({ $0 == $1 }) { return .flat }
        if steps.allSatisfy({ $0 < $1 }) { return .rising }
        if steps.allSatisfy({ $0 > $1 }) { return .falling }
        return .mixed
    }

    /// The last value minus the first.
    public var change: Double { (values.last ?? .nan) - (values.first ?? .nan) }
}
