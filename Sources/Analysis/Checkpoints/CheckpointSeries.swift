import Transformer

/// A series of checkpoints of one architecture measured on one prompt set, in training order: each checkpoint's
/// measurement, the trends of the series-level numbers and the heads whose class changed.
public struct CheckpointSeries: Sendable {
    public let checkpoints: [CheckpointMeasurement]
    /// `CheckpointTrend.names`, in order.
    public let trends: [CheckpointTrend]
    /// Class changes between consecutive checkpoints, in checkpoint and then (layer, head) order.
    public let classChanges: [ClassChange]
    /// Class changes from the first checkpoint to the last.
    public let firstToLast: [ClassChange]

    /// The series of `checkpoints` (at least two, all of one shape).
    public init(_ checkpoints: [CheckpointMeasurement]) throws(CheckpointError) {
        guard checkpoints.count >= 2 else { throw .tooFewCheckpoints(checkpoints.count) }
        for c in checkpoints.dropFirst() {
            try Self.checkShape(c.info, of: c.name, against: checkpoints[0].info, of: checkpoints[0].name)
        }
        self.checkpoints = checkpoints
        trends = CheckpointTrend.all(checkpoints)
        classChanges = zip(checkpoints, checkpoints.dropFirst()).flatMap { ClassChange.between($0, $1) }
        firstToLast = ClassChange.between(checkpoints[0], checkpoints[checkpoints.count - 1])
    }

    /// Throws unless the checkpoint `name` has the architecture, layers and heads of the first checkpoint `firstName`.
    public static func checkShape(
        _ info: ModelInfo, of name: String, against first: ModelInfo, of firstName: String
    ) throws(CheckpointError) {
        guard info.architecture == first.architecture else {
            throw .architectureMismatch(
                checkpoint: name, architecture: info.architecture, first: firstName,
                firstArchitecture: first.architecture)
        }
        guard info.layers == first.layers, info.heads == first.heads else {
            throw .shapeMismatch(
                checkpoint: name, layers: info.layers, heads: info.heads, first: firstName,
                firstLayers: first.layers, firstHeads: first.heads)
        }
    }

    /// The trend called `name`.
    public func trend(_ name: String) -> CheckpointTrend? { trends.first { $0.name == name } }

    /// One head's mean of `metric` at every checkpoint.
    public func headValues(_ metric: String, layer: Int, head: Int) -> [Double] {
        checkpoints.map { c in c.heads.first { $0.layer == layer && $0.head == head }?.mean(metric) ?? .nan }
    }
}
