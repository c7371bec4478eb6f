/// One head of one checkpoint over a prompt set: its metric means, its class and what zeroing it costs.
public struct CheckpointHead: Sendable, Equatable {
    public let layer: Int
    public let head: Int
    /// Metric name (`HeadMetrics.metricNames`) → the mean over the prompts of the head's per-prompt mean.
    public let means: [String: Double]
    /// The most frequent of the prompts' pattern classes (`PatternClass.vote`) and in how many prompts it was the class.
    public let patternClass: PatternClass
    public let classPrompts: Int
    /// Mean over the prompts of `|Δ log p|` of the predicted token when the head is zeroed (nats), or nil without
    /// ablation.
    public let ablationNats: Double?

    public init(
        layer: Int, head: Int, means: [String: Double], patternClass: PatternClass, classPrompts: Int,
        ablationNats: Double?
    ) {
        self.layer = layer
        self.head = head
        self.means = means
        self.patternClass = patternClass
        self.classPrompts = classPrompts
        self.ablationNats = ablationNats
    }

    /// `L<layer>H<head>`.
    public var label: String { "L\(layer)H\(head)" }

    /// The mean of metric `name`, NaN for an unknown name.
    public func mean(_ name: String) -> Double { means[name] ?? .nan }
}
