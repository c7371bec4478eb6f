import Analysis
import Foundation

/// A measured checkpoint series with what its pages show besides the numbers: the prompts and, per checkpoint, the
/// display form of the token each prompt's last position predicts.
public struct CheckpointSeriesReport: Sendable {
    public let series: CheckpointSeries
    public let prompts: [String]
    /// `[checkpoint][prompt]`.
    public let predictionDisplays: [[String]]
    public let options: CheckpointSeriesOptions
    public let created: Date

    public init(
        series: CheckpointSeries, prompts: [String], predictionDisplays: [[String]], options: CheckpointSeriesOptions,
        created: Date = Date()
    ) {
        self.series = series
        self.prompts = prompts
        self.predictionDisplays = predictionDisplays
        self.options = options
        self.created = created
    }

    /// Seconds spent measuring.
    public var seconds: Double { series.checkpoints.reduce(0) { $0 + $1.seconds } }
}
