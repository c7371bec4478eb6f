import Foundation
import HTTP
import JSON

/// `POST /api/runs/{id}/attributions/jobs` (an attributions query as a job: progress to poll, cancel), `GET` and
/// `DELETE /api/attribution-jobs/{id}`. A query whose result is cached answers with a job that is done already. A
/// job's id carries its run's (`a<run id><16 hex>`), so a proxy routing by run id sends its polls to the run's
/// instance.
extension GlassboxAPI {
    /// Live attribution jobs at most (queued or running); more is 503 busy.
    static let maxLiveAttributionJobs = 8

    func createAttributionJob(
        _ runID: String, _ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        service.state(id: runID) { [self] result in
            do {
                let run = try result.get()
                let query = QueryParameters(request.query)
                let prepared = try AnalysisEndpoints.attributionRequest(
                    run, query, workers: service.configuration.threads)
                let parameters = query.canonical
                let detail = AttributionJobDetail(run: runID, method: prepared.method.rawValue)
                if let cached = cachedAnalysis(run, runID, "attributions", parameters) {
                    let job = attributionJobs.finished(
                        id: attributionJobs.newID(key: runID), detail: detail, total: prepared.total, output: cached)
                    return respond(.json(202, Self.attributionJobJSON(job)))
                }
                let started = attributionJobs.start(
                    id: attributionJobs.newID(key: runID), detail: detail, total: prepared.total,
                    compute: service.compute,
                    maxLive: Self.maxLiveAttributionJobs
                ) { [self] shouldContinue, progress in
                    let data = try prepared.compute(shouldContinue) { done, _ in progress(done, nil) }
                    keepAnalysis(run, runID, "attributions", parameters, data)
                    return data
                }
                guard let started else {
                    throw ServiceError.busy(
                        "\(Self.maxLiveAttributionJobs) attribution jobs are already running or waiting: try again "
                            + "once one is done", retryAfter: 5)
                }
                respond(.json(202, Self.attributionJobJSON(started)))
            } catch {
                respond(Self.response(ServiceError(error)))
            }
        }
    }

    func attributionJobStatus(_ id: String, _ request: HTTPRequest, cancel: Bool) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            guard let job = cancel ? attributionJobs.cancel(id) : attributionJobs.snapshot(id) else {
                throw ServiceError.notFound("attribution_job", "no attribution job with id \(id)")
            }
            return .json(200, Self.attributionJobJSON(job))
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    static func attributionJobJSON(_ job: AttributionJobs.Snapshot) -> Data {
        var w = JSONWriter(capacity: 256 + (job.output?.count ?? 0))
        w.object { o in
            o.field("id", job.id)
            o.field("run", job.detail.run)
            o.field("method", job.detail.method)
            o.field("status", job.status.rawValue)
            o.field("progress") { w in
                w.object { p in
                    p.field("done", job.done)
                    p.field("total", job.total)
                }
            }
            o.field("error") { w in job.error.map { w.string($0) } ?? w.raw("null") }
            o.field("result") { w in job.output.map { w.raw(String(decoding: $0, as: UTF8.self)) } ?? w.raw("null") }
        }
        return w.data
    }
}
