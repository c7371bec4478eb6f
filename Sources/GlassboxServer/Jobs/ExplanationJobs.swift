import Analysis
import Foundation

/// Explanation jobs (`POST /api/explanations`): each evaluates the explainers of one prediction on the report
/// queue, with progress (passes, and the stage) that can be polled and a cancel switch checked between batches of
/// passes. The output is the explanation report as JSON and as the standalone page.
public typealias ExplanationJobs = JobTable<ExplanationJobDetail, ReportJobOutput>

/// What a poll of an explanation job shows besides its progress.
public struct ExplanationJobDetail: Sendable {
    public let model: String
    /// The prompt's tokens.
    public let tokens: Int
    /// Scores, curves, noise or variant.
    public let stage: EvaluationProgress.Stage

    public init(model: String, tokens: Int, stage: EvaluationProgress.Stage) {
        self.model = model
        self.tokens = tokens
        self.stage = stage
    }
}
