import Foundation
import HTTP
import JSON
import ModelCatalog
import Reports
import Tokenizers
import Transformer

/// `GET /api/checkpoint-series` (the series the configuration names), `POST /api/checkpoint-series` (a training
/// monitor over checkpoints, `docs/analyses.md`, as a job), `GET /api/checkpoint-series/{id}` (progress, then the
/// report as `glassbox checkpoints --json` writes it), `GET /api/checkpoint-series/{id}/html` (the standalone page)
/// and `DELETE /api/checkpoint-series/{id}` (cancel). Only configured checkpoints are measured: a series by name, or
/// configured models in training order; a client never names a path. Behind a proxy routing by id,
/// `POST /api/checkpoint-series` answers 307 to `POST /api/checkpoint-series/c<64 hex><16 hex>`, like reports.
extension GlassboxAPI {
    /// Checkpoint series jobs running or waiting at most.
    static let maxLiveCheckpointSeries = 3

    /// A checked `POST /api/checkpoint-series` body.
    struct CheckpointSeriesBody: Sendable {
        let series: String?
        let checkpoints: [CheckpointSeriesEntry.Checkpoint]
        let prompts: [String]
        let ablation: Bool
    }

    func listCheckpointSeries(_ request: HTTPRequest) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            var w = JSONWriter()
            w.object { o in
                o.field("series") { w in
                    w.array(service.configuration.catalog.checkpointSeries) { w, entry in
                        w.object { o in
                            o.field("name", entry.name)
                            o.field("description") { w in entry.description.map { w.string($0) } ?? w.raw("null") }
                            o.field("checkpoints") { $0.array(entry.checkpoints.map(\.name)) }
                            o.field("prompts") { $0.array(entry.prompts) }
                        }
                    }
                }
            }
            return .json(200, w.data)
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    /// `id`: the id the job must have (`POST /api/checkpoint-series/{id}`); nil: a new one, or, behind a proxy
    /// routing by id, a 307 to `POST /api/checkpoint-series/{new id}` once the request is known to be good.
    func createCheckpointSeries(
        _ request: HTTPRequest, id: String? = nil, _ respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        do {
            try QueryParameters(request.query).allow([])
            try checkNewJobID(id, in: checkpointSeries, noun: "checkpoint series")
            let body = try Self.parseCheckpointSeries(request.body, configuration: service.configuration)
            let limits = service.configuration.limits
            var options = CheckpointSeriesOptions()
            options.parameters.ablation = body.ablation
            options.parameters.workers = service.configuration.threads
            options.maxPrompts = limits.maxReportPrompts
            options.maxTokens = limits.maxPromptTokens
            let builder = CheckpointSeriesBuilder(options: options)
            try Self.checkPrompts(body.prompts, limit: options.maxPrompts, bytes: limits.maxPromptBytes)
            try Self.reportErrors { try builder.validate(checkpoints: body.checkpoints.count, prompts: body.prompts) }
            if id == nil && service.configuration.routeByID {
                let id = checkpointSeries.newID()
                return respond(Self.redirect(to: "/api/checkpoint-series/" + id, id: id))
            }
            let sources = body.checkpoints.map(checkpointSource)
            let detail = CheckpointSeriesJobDetail(
                series: body.series, checkpoints: body.checkpoints.map(\.name), prompts: body.prompts.count,
                progress: nil)
            let started = checkpointSeries.start(
                id: id, detail: detail, total: sources.count, compute: reportQueue,
                maxLive: Self.maxLiveCheckpointSeries
            ) { shouldContinue, progress in
                let report = try builder.build(sources, prompts: body.prompts, shouldContinue: shouldContinue) {
                    step in progress(step.checkpoint, detail.with(step))
                }
                return ReportJobOutput(
                    json: CheckpointSeriesJSON.data(report), html: CheckpointSeriesHTML.page(report))
            }
            guard let started else {
                throw ServiceError.busy(
                    "\(Self.maxLiveCheckpointSeries) checkpoint series are already running or waiting: try again "
                        + "once one is done", retryAfter: 30)
            }
            respond(.json(202, Self.checkpointSeriesJSON(started)))
        } catch {
            respond(Self.response(ServiceError(error)))
        }
    }

    /// How a configured checkpoint is loaded: a configured model through the registry (loaded once, kept), a path
    /// directly (let go once measured).
    private func checkpointSource(_ checkpoint: CheckpointSeriesEntry.Checkpoint) -> CheckpointSource {
        switch checkpoint {
        case .model(let name):
            let registry = service.registry
            return CheckpointSource(name: name) {
                let loaded = try registry.model(name)
                return (loaded.model, loaded.tokenizer)
            }
        case .path(let name, let path):
            return CheckpointSource(name: name) {
                let url = URL(fileURLWithPath: path)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ReportError(
                        "checkpoint \"\(name)\": nothing at its configured path \(path)", parameter: "checkpoints")
                }
                return (try ModelLoader.load(url, weights: .standard), try TokenizerLoader.load(url))
            }
        }
    }

    func checkpointSeriesStatus(_ id: String, _ request: HTTPRequest, html: Bool, cancel: Bool = false)
        -> HTTPResponse
    {
        do {
            try QueryParameters(request.query).allow([])
            guard let job = cancel ? checkpointSeries.cancel(id) : checkpointSeries.snapshot(id) else {
                throw ServiceError.notFound("checkpoint_series", "no checkpoint series job with id \(id)")
            }
            guard html else { return .json(200, Self.checkpointSeriesJSON(job)) }
            guard let page = job.output?.html else {
                throw ServiceError.conflict(
                    "checkpoint series \(id) is \(job.status.rawValue): its HTML exists once it is done")
            }
            return Self.standalonePage(page, filename: "glassbox-checkpoints-\(id).html")
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    /// The body: `{"series"}` or `{"checkpoints": [model names]}` (one of the two), `"prompts"` (optional with a
    /// series that has default prompts) and `"ablation"` (default true); unknown keys are errors.
    static func parseCheckpointSeries(_ data: Data, configuration: ServerConfiguration) throws -> CheckpointSeriesBody {
        let body = try JSONBody(
            data, known: ["series", "checkpoints", "prompts", "ablation"],
            example: "{\"series\": \"tiny-train\", \"prompts\": [\"The keeper lit the lamp.\"]}")
        let catalog = configuration.catalog
        let seriesName = try body.string("series"), names = try body.strings("checkpoints")
        let series: CheckpointSeriesEntry?
        let checkpoints: [CheckpointSeriesEntry.Checkpoint]
        switch (seriesName, names) {
        case (let name?, nil):
            guard let entry = catalog.series(name) else {
                let known = catalog.checkpointSeries.map(\.name)
                throw ServiceError.badParameter(
                    "series",
                    "no checkpoint series named \"\(name)\" ("
                        + (known.isEmpty
                            ? "this server's configuration names none: see \"checkpoint_series\" in the README"
                            : "configured: " + known.joined(separator: ", ")) + ")")
            }
            (series, checkpoints) = (entry, entry.checkpoints)
        case (nil, let names?):
            if let unknown = names.first(where: { catalog.entry($0) == nil }) {
                throw ServiceError.badParameter(
                    "checkpoints",
                    "no model named \"\(unknown)\" (configured: "
                        + catalog.entries.map(\.name).joined(separator: ", ") + ")")
            }
            if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                throw ServiceError.badParameter("checkpoints", "\"\(repeated)\" appears twice")
            }
            (series, checkpoints) = (nil, names.map { .model($0) })
        case (.some, .some):
            throw ServiceError.badParameter("series", "give \"series\" or \"checkpoints\", not both")
        case (nil, nil):
            throw ServiceError.badParameter(
                "series",
                "required: a configured series (\"series\") or configured models in training order "
                    + "(\"checkpoints\")")
        }
        let prompts = try body.strings("prompts") ?? series?.prompts ?? []
        if prompts.isEmpty {
            throw ServiceError.badParameter(
                "prompts",
                series == nil ? "required: an array of prompt strings" : "the series has no default prompts: give some")
        }
        return CheckpointSeriesBody(
            series: series?.name, checkpoints: checkpoints, prompts: prompts,
            ablation: try body.bool("ablation") ?? true)
    }

    static func checkpointSeriesJSON(_ job: CheckpointSeriesJobs.Snapshot) -> Data {
        let detail = job.detail, progress = detail.progress
        var w = JSONWriter(capacity: 512 + (job.output?.json.count ?? 0))
        w.object { o in
            o.field("id", job.id)
            o.field("series") { w in detail.series.map { w.string($0) } ?? w.raw("null") }
            o.field("checkpoints") { $0.array(detail.checkpoints) }
            o.field("prompts", detail.prompts)
            o.field("status", job.status.rawValue)
            o.field("progress") { w in
                w.object { p in
                    // Forward passes; the total is 0 until the first checkpoint's shape is known.
                    let total = progress?.total ?? 0
                    p.field("done", job.status == .done ? total : progress?.done ?? 0)
                    p.field("total", total)
                    p.field("checkpoint", progress?.checkpoint ?? 0)
                    p.field("checkpoint_name", progress?.checkpointName ?? detail.checkpoints[0])
                    p.field("prompt", progress?.prompt ?? 0)
                }
            }
            o.field("error") { w in job.error.map { w.string($0) } ?? w.raw("null") }
            o.field("html") { w in
                job.output == nil ? w.raw("null") : w.string("/api/checkpoint-series/\(job.id)/html")
            }
            o.field("report") { w in
                job.output.map { w.raw(String(decoding: $0.json, as: UTF8.self)) } ?? w.raw("null")
            }
        }
        return w.data
    }
}
