import Foundation

/// Attribution jobs (`POST /api/runs/{id}/attributions/jobs`): one attributions query computed on the compute queue
/// with its passes counted as progress and a cancel switch checked before each pass; the result is cached as the
/// plain `GET /api/runs/{id}/attributions` of the same query would cache it.
public typealias AttributionJobs = JobTable<AttributionJobDetail, Data>

/// What a poll of an attribution job shows besides its progress.
public struct AttributionJobDetail: Sendable {
    /// The run's id.
    public let run: String
    public let method: String

    public init(run: String, method: String) {
        self.run = run
        self.method = method
    }
}
