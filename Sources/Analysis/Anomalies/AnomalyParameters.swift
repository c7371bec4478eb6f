/// The thresholds of the anomaly detectors (`docs/analyses.md` §3), with its defaults.
public struct AnomalyParameters: Sendable, Equatable {
    /// `high_attention` fires for a weight above this.
    public var highAttention = 0.9
    /// Whether attention to the first token counts as high (sinks are normal, so by default it does not).
    public var includeFirstToken = false
    /// `uniform_attention` fires for a head uniformity at or above this.
    public var uniformThreshold = 0.8
    /// Rows below this are left out of the uniformity mean (short rows are uniform by construction).
    public var uniformMinRow = 4
    /// `dead_head` fires when a head's output norm stays below this fraction of the layer's mean head output norm at
    /// every position.
    public var deadFraction = 0.01
    /// `outlier_activation` fires for a residual dimension whose magnitude exceeds this multiple of the position's
    /// median magnitude.
    public var outlierFactor = 20.0

    public init() {}
}
