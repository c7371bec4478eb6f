/// What a checkpoint series measures, with the defaults of `docs/analyses.md` §1, §3 and §4.
public struct CheckpointParameters: Sendable, Equatable {
    public var metricParameters = AttentionMetricParameters()
    public var anomalyParameters = AnomalyParameters()
    /// Run the head (and layer) ablation passes for the redundant heads: `L·H + L` extra passes per prompt.
    public var ablation = true
    /// A head is redundant when zeroing it changes the predicted token's log-probability by less than this on
    /// average (nats).
    public var redundantHeadNats = 0.01
    /// Workers per forward pass.
    public var workers = 1

    public init() {}
}
