import Foundation

/// Report jobs (`POST /api/reports`): each measures a prompt set on the report queue, with progress that can be
/// polled and a cancel switch checked between forward passes.
public typealias ReportJobs = JobTable<ReportJobDetail, ReportJobOutput>

/// What a poll of a report job shows besides its progress.
public struct ReportJobDetail: Sendable {
    public let model: String
    public let prompts: Int
    /// 0-based index of the prompt being measured.
    public let prompt: Int

    public init(model: String, prompts: Int, prompt: Int) {
        self.model = model
        self.prompts = prompts
        self.prompt = prompt
    }
}

/// A finished report, as JSON and as the standalone HTML page.
public struct ReportJobOutput: Sendable {
    public let json: Data
    public let html: String
}
