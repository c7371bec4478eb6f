import Foundation
import Reports

/// Checkpoint series jobs (`POST /api/checkpoint-series`): each loads a series' checkpoints one at a time on the
/// report queue and measures the prompts on each, with progress (forward passes, the checkpoint and prompt) that can
/// be polled and a cancel switch checked before every pass. The output is the series report as JSON and as the
/// standalone page.
public typealias CheckpointSeriesJobs = JobTable<CheckpointSeriesJobDetail, ReportJobOutput>

/// What a poll of a checkpoint series job shows besides its status.
public struct CheckpointSeriesJobDetail: Sendable {
    /// The configured series measured, nil for a list of configured models.
    public let series: String?
    public let checkpoints: [String]
    public let prompts: Int
    /// Where the work is; nil until the first checkpoint is loaded (the number of passes follows from its shape).
    public let progress: CheckpointSeriesProgress?

    public init(series: String?, checkpoints: [String], prompts: Int, progress: CheckpointSeriesProgress?) {
        self.series = series
        self.checkpoints = checkpoints
        self.prompts = prompts
        self.progress = progress
    }

    func with(_ progress: CheckpointSeriesProgress) -> Self {
        Self(series: series, checkpoints: checkpoints, prompts: prompts, progress: progress)
    }
}
