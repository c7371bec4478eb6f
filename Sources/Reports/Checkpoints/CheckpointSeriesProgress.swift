/// How far a checkpoint series is: forward passes done of the total, and where.
public struct CheckpointSeriesProgress: Sendable, Equatable {
    public let done: Int
    public let total: Int
    /// The checkpoint being measured (from 0) and its name.
    public let checkpoint: Int
    public let checkpointName: String
    /// The prompt being measured (from 0).
    public let prompt: Int

    public init(done: Int, total: Int, checkpoint: Int, checkpointName: String, prompt: Int) {
        self.done = done
        self.total = total
        self.checkpoint = checkpoint
        self.checkpointName = checkpointName
        self.prompt = prompt
    }
}
