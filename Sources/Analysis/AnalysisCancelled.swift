/// Thrown by a long analysis (ablation passes, a logit lens over many rows, a report) when its `shouldContinue`
/// returns false: the caller asked it to stop.
public struct AnalysisCancelled: Error, CustomStringConvertible, Equatable {
    public init() {}
    public var description: String { "the analysis was cancelled" }
}
