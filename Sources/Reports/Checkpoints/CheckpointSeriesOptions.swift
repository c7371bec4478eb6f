import Analysis

/// What a checkpoint series measures and its limits.
public struct CheckpointSeriesOptions: Sendable, Equatable {
    public var parameters = CheckpointParameters()
    /// Most tokens a prompt may have.
    public var maxTokens = 512
    /// Most prompts a series may have.
    public var maxPrompts = 50
    /// Most checkpoints a series may have.
    public var maxCheckpoints = 32

    public init() {}
}
