import Analysis
import Foundation
import HTTP
import JSON
import Reports
import Transformer

/// `POST /api/reports` (a job over a prompt set), `GET /api/reports/{id}` (progress, then the report),
/// `GET /api/reports/{id}/html` (the standalone page), `DELETE /api/reports/{id}` (cancel) and `POST /api/compare`.
extension GlassboxAPI {
    /// `id`: the id the report must have (`POST /api/reports/{id}`); nil: a new one, or, on an instance behind a
    /// proxy routing by id, a 307 to `POST /api/reports/{new id}` once the request is known to be good.
    func createReport(
        _ request: HTTPRequest, id: String? = nil, _ respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        do {
            try QueryParameters(request.query).allow([])
            try checkNewJobID(id, in: reports, noun: "report")
            let body = try JSONBody(
                request.body, known: ["model", "prompts", "options"],
                example: "{\"prompts\": [\"The capital of France is\", \"Once upon a time\"]}")
            let model = try body.model(service.configuration)
            guard let prompts = try body.strings("prompts") else {
                throw ServiceError.badParameter("prompts", "required: an array of prompt strings")
            }
            var options = ReportOptions()
            options.maxPrompts = service.configuration.limits.maxReportPrompts
            options.maxTokens = service.configuration.limits.maxPromptTokens
            options.workers = service.configuration.threads
            if let value = body["options"] {
                let o = try JSONBody(object: value, known: ["ablation", "clusters", "top_k"], key: "options")
                options.ablation = try o.bool("ablation") ?? options.ablation
                options.clusters = try o.int("clusters", in: 1...64) ?? options.clusters
                options.topK = try o.int("top_k", in: 1...50) ?? options.topK
            }
            try Self.checkPrompts(
                prompts, limit: options.maxPrompts, bytes: service.configuration.limits.maxPromptBytes)
            let loaded = try service.registry.model(model)
            let builder = ReportBuilder(
                modelName: model, model: loaded.model, tokenizer: loaded.tokenizer,
                options: options)
            try Self.reportErrors { try builder.validate(prompts) }
            if id == nil && service.configuration.routeByID {
                let id = reports.newID()
                return respond(Self.redirect(to: "/api/reports/" + id, id: id))
            }
            let detail = ReportJobDetail(model: model, prompts: prompts.count, prompt: 0)
            let started = reports.start(
                id: id, detail: detail, total: builder.totalPasses(prompts), compute: reportQueue,
                maxLive: Self.maxLiveReports
            ) { shouldContinue, progress in
                let report = try builder.build(prompts, shouldContinue: shouldContinue) { done, _, prompt in
                    progress(done, ReportJobDetail(model: model, prompts: prompts.count, prompt: prompt))
                }
                return ReportJobOutput(json: ReportJSON.data(report), html: ReportHTML.page(report))
            }
            guard let started else {
                throw ServiceError.busy(
                    "\(Self.maxLiveReports) reports are already running or waiting: try again "
                        + "once one is done", retryAfter: 30)
            }
            respond(.json(202, Self.reportJSON(started)))
        } catch {
            respond(Self.response(ServiceError(error)))
        }
    }

    func reportStatus(_ id: String, _ request: HTTPRequest, html: Bool) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            guard let job = reports.snapshot(id) else {
                throw ServiceError.notFound("report", "no report with id \(id)")
            }
            guard html else { return .json(200, Self.reportJSON(job)) }
            guard let page = job.output?.html else {
                throw ServiceError.conflict("report \(id) is \(job.status.rawValue): its HTML exists once it is done")
            }
            return Self.standalonePage(page, filename: "glassbox-report-\(id).html")
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    func cancelReport(_ id: String, _ request: HTTPRequest) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            guard let job = reports.cancel(id) else { throw ServiceError.notFound("report", "no report with id \(id)") }
            return .json(200, Self.reportJSON(job))
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    func compare(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        do {
            try QueryParameters(request.query).allow([])
            let body = try JSONBody(
                request.body,
                known: [
                    "model", "kind", "prompts", "labels", "templates", "slot", "targets",
                    "metrics", "top_k", "models", "prompt"
                ],
                example: "{\"prompts\": [\"The doctor said that\", \"The nurse said that\"], "
                    + "\"targets\": [\" he\", \" she\"]} or {\"models\": [\"a\", \"b\"], \"prompt\": \"...\"}")
            if body["models"] != nil { return compareModels(body, respond) }
            if body["prompt"] != nil {
                throw ServiceError.badParameter(
                    "prompt", "only with models (two models on one text); prompt comparisons take prompts")
            }
            let model = try body.model(service.configuration)
            var prompts = try body.strings("prompts")
            var labels = try body.strings("labels")
            let templates = try body.strings("templates")
            if let templates {
                guard prompts == nil else {
                    throw ServiceError.badParameter("templates", "give either prompts or templates, not both")
                }
                guard let slot = try body.string("slot"), !slot.isEmpty else {
                    throw ServiceError.badParameter("slot", "required with templates: the text to put in each {}")
                }
                if let bad = templates.firstIndex(where: { $0.components(separatedBy: "{}").count != 2 }) {
                    throw ServiceError.badParameter("templates", "template \(bad + 1) must contain exactly one {} slot")
                }
                prompts = templates.map { $0.replacingOccurrences(of: "{}", with: "[[" + slot + "]]") }
                labels = labels ?? templates
            } else if body["slot"] != nil {
                throw ServiceError.badParameter("slot", "only with templates: put the {} slot text of templates here")
            }
            guard let prompts else {
                throw ServiceError.badParameter("prompts", "required: two or more prompts (or templates and a slot)")
            }
            let kindName =
                try body.string("kind") ?? (templates != nil ? "templates" : prompts.count == 2 ? "pair" : "set")
            guard let kind = PromptComparison.Kind(rawValue: kindName) else {
                throw ServiceError.badParameter("kind", "must be pair, templates or set, got \"\(kindName)\"")
            }
            let metrics = try body.strings("metrics") ?? HeadMetrics.metricNames
            if let bad = metrics.first(where: { !HeadMetrics.metricNames.contains($0) }) {
                throw ServiceError.badParameter(
                    "metrics",
                    "unknown metric \"\(bad)\" (known: "
                        + HeadMetrics.metricNames.joined(separator: ", ") + ")")
            }
            let targets = try body.strings("targets") ?? []
            let topK = try body.int("top_k", in: 1...50) ?? 5
            let limits = service.configuration.limits
            try Self.checkPrompts(prompts, limit: limits.maxReportPrompts, bytes: limits.maxPromptBytes)
            let loaded = try service.registry.model(model)
            let workers = service.configuration.threads
            let names = labels
            let accepted = service.compute.submit {
                do {
                    let comparison = try Self.reportErrors {
                        try PromptComparison.compare(
                            kind: kind, prompts: prompts, labels: names, targets: targets,
                            model: loaded.model, tokenizer: loaded.tokenizer, topK: topK,
                            maxTokens: limits.maxPromptTokens, workers: workers)
                    }
                    respond(
                        .json(
                            200,
                            ComparisonJSON.data(
                                comparison, model: model, metrics: metrics,
                                display: loaded.tokenizer.displayString(for:))))
                } catch {
                    respond(Self.response(ServiceError(error)))
                }
            }
            if !accepted {
                throw ServiceError.busy("the server is busy: try the comparison again shortly", retryAfter: 2)
            }
        } catch {
            respond(Self.response(ServiceError(error)))
        }
    }

    /// Reports running or waiting at most; one runs at a time.
    static let maxLiveReports = 5

    /// Count and size limits of a prompt set.
    static func checkPrompts(_ prompts: [String], limit: Int, bytes: Int) throws {
        guard !prompts.isEmpty else { throw ServiceError.badParameter("prompts", "the prompt set is empty") }
        guard prompts.count <= limit else {
            throw ServiceError.badParameter(
                "prompts",
                "\(prompts.count) prompts is more than this server's limit of "
                    + "\(limit) (limits.max_report_prompts)")
        }
        if let bad = prompts.firstIndex(where: { $0.utf8.count > bytes }) {
            throw ServiceError.tooLarge(
                "prompt \(bad + 1) has \(prompts[bad].utf8.count) bytes; this server allows at "
                    + "most \(bytes)")
        }
    }

    /// Runs `body`, turning a `ReportError` (a problem with the prompts, targets or labels) into a 400 naming the
    /// field, and a model error (e.g. a token outside the context) into a 400 on `prompts`.
    static func reportErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ReportError {
            if error.tooLong { throw ServiceError.tooLarge(error.message) }
            throw ServiceError.badParameter(error.parameter, error.message)
        } catch let error as TransformerError {
            throw ServiceError.badParameter("prompts", "\(error)")
        }
    }

    static func reportJSON(_ job: ReportJobs.Snapshot) -> Data {
        var w = JSONWriter(capacity: 256 + (job.output?.json.count ?? 0))
        w.object { o in
            o.field("id", job.id)
            o.field("model", job.detail.model)
            o.field("prompts", job.detail.prompts)
            o.field("status", job.status.rawValue)
            o.field("progress") { w in
                w.object { p in
                    p.field("done", job.done)
                    p.field("total", job.total)
                    p.field("prompt", job.detail.prompt)
                }
            }
            o.field("error") { w in job.error.map { w.string($0) } ?? w.raw("null") }
            o.field("html") { w in job.output == nil ? w.raw("null") : w.string("/api/reports/\(job.id)/html") }
            o.field("report") { w in
                job.output.map { w.raw(String(decoding: $0.json, as: UTF8.self)) } ?? w.raw("null")
            }
        }
        return w.data
    }
}
