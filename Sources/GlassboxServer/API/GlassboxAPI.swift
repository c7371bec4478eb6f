import JSON
import Foundation
import HTTP

/// The HTTP face of Glassbox: the JSON API (README, "Use the API"; every route described by `OpenAPIDocument`),
/// the OpenAPI document and the UI's static files, as one request handler for `HTTPServer`. Routing is a pure table
/// (`router`), testable without sockets. The path of a request through it: `ARCHITECTURE.md`.
public final class GlassboxAPI: Sendable {
    public let service: RunService
    public let staticFiles: StaticFiles?
    public let router: Router<Endpoint>
    /// Hosts, origins, tokens and per-client limits, checked before any route (`RequestGate`).
    public let gate: RequestGate
    /// Report jobs started by `POST /api/reports`.
    public let reports = ReportJobs(prefix: "r")
    /// Explanation jobs started by `POST /api/explanations`.
    public let explanations = ExplanationJobs(prefix: "e")
    /// Checkpoint series jobs started by `POST /api/checkpoint-series`.
    public let checkpointSeries = CheckpointSeriesJobs(prefix: "c")
    /// Attribution jobs started by `POST /api/runs/{id}/attributions/jobs`.
    public let attributionJobs = AttributionJobs(prefix: "a")
    /// Where report jobs run: one at a time beside the run queue, so a long report never holds up single runs.
    public let reportQueue = ComputeQueue(maxConcurrent: 1, maxQueued: 64)
    public static let version = "0.1.0"

    /// What a route does, given the request and its path parameters.
    public typealias Endpoint =
        @Sendable (
            GlassboxAPI, HTTPRequest, [String: String],
            @escaping @Sendable (HTTPResponse) -> Void
        ) -> Void

    public init(service: RunService, publicDirectory: URL?) {
        self.service = service
        gate = RequestGate(configuration: service.configuration.security, boundHost: service.configuration.host)
        staticFiles = publicDirectory.flatMap {
            FileManager.default.fileExists(atPath: $0.path) ? StaticFiles(root: $0) : nil
        }
        var router = Router<Endpoint>()
        router.add("GET", "/api/health") { api, _, _, respond in respond(api.health()) }
        router.add("GET", "/api/models") { api, _, _, respond in respond(api.models()) }
        router.add("GET", "/api/session") { api, request, _, respond in respond(api.sessionStatus(request)) }
        router.add("POST", "/api/session") { api, request, _, respond in respond(api.signIn(request)) }
        router.add("DELETE", "/api/session") { api, request, _, respond in respond(api.signOut(request)) }
        router.add("GET", "/api/openapi.json") { _, _, _, respond in
            respond(.json(200, OpenAPIDocument.data))
        }
        router.add("POST", "/api/runs") { api, request, _, respond in api.createRun(request, id: nil, respond) }
        router.add("POST", "/api/runs/{id}") { api, request, parameters, respond in
            api.createRun(request, id: parameters["id"]!, respond)
        }
        router.add("POST", "/api/compare") { api, request, _, respond in api.compare(request, respond) }
        router.add("GET", "/api/graph-diff") { api, request, _, respond in api.graphDiff(request, respond) }
        router.add("POST", "/api/generate") { api, request, _, respond in api.generate(request, respond) }
        router.add("POST", "/api/reports") { api, request, _, respond in api.createReport(request, respond) }
        router.add("POST", "/api/reports/{id}") { api, request, parameters, respond in
            api.createReport(request, id: parameters["id"]!, respond)
        }
        router.add("GET", "/api/reports/{id}") { api, request, parameters, respond in
            respond(api.reportStatus(parameters["id"]!, request, html: false))
        }
        router.add("GET", "/api/reports/{id}/html") { api, request, parameters, respond in
            respond(api.reportStatus(parameters["id"]!, request, html: true))
        }
        router.add("DELETE", "/api/reports/{id}") { api, request, parameters, respond in
            respond(api.cancelReport(parameters["id"]!, request))
        }
        router.add("POST", "/api/explanations") { api, request, _, respond in api.createExplanation(request, respond) }
        router.add("POST", "/api/explanations/{id}") { api, request, parameters, respond in
            api.createExplanation(request, id: parameters["id"]!, respond)
        }
        router.add("GET", "/api/explanations/{id}") { api, request, parameters, respond in
            respond(api.explanationStatus(parameters["id"]!, request, html: false))
        }
        router.add("GET", "/api/explanations/{id}/html") { api, request, parameters, respond in
            respond(api.explanationStatus(parameters["id"]!, request, html: true))
        }
        router.add("DELETE", "/api/explanations/{id}") { api, request, parameters, respond in
            respond(api.explanationStatus(parameters["id"]!, request, html: false, cancel: true))
        }
        router.add("GET", "/api/checkpoint-series") { api, request, _, respond in
            respond(api.listCheckpointSeries(request))
        }
        router.add("POST", "/api/checkpoint-series") { api, request, _, respond in
            api.createCheckpointSeries(request, respond)
        }
        router.add("POST", "/api/checkpoint-series/{id}") { api, request, parameters, respond in
            api.createCheckpointSeries(request, id: parameters["id"]!, respond)
        }
        router.add("GET", "/api/checkpoint-series/{id}") { api, request, parameters, respond in
            respond(api.checkpointSeriesStatus(parameters["id"]!, request, html: false))
        }
        router.add("GET", "/api/checkpoint-series/{id}/html") { api, request, parameters, respond in
            respond(api.checkpointSeriesStatus(parameters["id"]!, request, html: true))
        }
        router.add("DELETE", "/api/checkpoint-series/{id}") { api, request, parameters, respond in
            respond(api.checkpointSeriesStatus(parameters["id"]!, request, html: false, cancel: true))
        }
        router.add("POST", "/api/runs/{id}/attributions/jobs") { api, request, parameters, respond in
            api.createAttributionJob(parameters["id"]!, request, respond)
        }
        router.add("GET", "/api/attribution-jobs/{id}") { api, request, parameters, respond in
            respond(api.attributionJobStatus(parameters["id"]!, request, cancel: false))
        }
        router.add("DELETE", "/api/attribution-jobs/{id}") { api, request, parameters, respond in
            respond(api.attributionJobStatus(parameters["id"]!, request, cancel: true))
        }
        router.add("GET", "/api/runs/{id}") { api, request, parameters, respond in
            api.withRun(parameters["id"]!, request, respond) { run, query in
                try query.allow([])
                return AnalysisEndpoints.Prepared { .json(run.summary) }
            }
        }
        let workers = service.configuration.threads
        // Where each analysis runs on a cache miss (`Placement`). Only slicing the recorded attention is a lookup;
        // ablation, attributions and a generation's attribution (its gradient methods) run the model again, as
        // runs do; everything else is analysis work (anomalies
        // too: their lens over every layer is the lens grid's work, and on the run queue a long prompt's would
        // hold up new runs for a minute).
        let analyses:
            [(String, Placement, @Sendable (RunState, QueryParameters) throws -> AnalysisEndpoints.Prepared)] = [
                ("graph", .analysisQueue, { try AnalysisEndpoints.graph($0, $1, workers: workers) }),
                ("attention", .handler, { try AnalysisEndpoints.attention($0, $1) }),
                ("contributions", .analysisQueue, { try AnalysisEndpoints.contributions($0, $1, workers: workers) }),
                ("lens", .analysisQueue, { try AnalysisEndpoints.lens($0, $1) }),
                ("lens-grid", .analysisQueue, { try AnalysisEndpoints.lensGrid($0, $1, workers: workers) }),
                ("walk", .analysisQueue, { try AnalysisEndpoints.walk($0, $1, workers: workers) }),
                ("logits", .analysisQueue, { try AnalysisEndpoints.logits($0, $1) }),
                (
                    "generation-attribution", .computeQueue,
                    { try AnalysisEndpoints.generationAttribution($0, $1, workers: workers) }
                ),
                ("attention.svg", .analysisQueue, { try AnalysisEndpoints.attentionSVG($0, $1) }),
                ("promoted", .analysisQueue, { try AnalysisEndpoints.promoted($0, $1) }),
                ("neurons", .analysisQueue, { try AnalysisEndpoints.neurons($0, $1) }),
                ("metrics", .analysisQueue, { try AnalysisEndpoints.metrics($0, $1) }),
                ("rollout", .analysisQueue, { try AnalysisEndpoints.rollout($0, $1) }),
                ("flow", .analysisQueue, { try AnalysisEndpoints.flow($0, $1) }),
                ("anomalies", .analysisQueue, { try AnalysisEndpoints.anomalies($0, $1, workers: workers) }),
                ("ablation", .computeQueue, { try AnalysisEndpoints.ablation($0, $1, workers: workers) }),
                ("attributions", .computeQueue, { try AnalysisEndpoints.attributions($0, $1, workers: workers) })
            ]
        for (name, placement, analysis) in analyses {
            router.add("GET", "/api/runs/{id}/\(name)") { api, request, parameters, respond in
                api.withRun(parameters["id"]!, request, respond, cacheAs: name, placement: placement, analysis)
            }
        }
        self.router = router
    }

    /// Where an analysis is computed on a cache miss.
    enum Placement {
        /// On the HTTP handler queue: a lookup in the recorded trace.
        case handler
        /// On the bounded analysis queue (`RunService.analyses`), below the handlers' QoS.
        case analysisQueue
        /// On the bounded model-work queue with the runs (`RunService.compute`).
        case computeQueue
    }

    /// The request handler for `HTTPServer`: the gate's checks, then the route. API answers get
    /// `Cache-Control: no-store` (they carry run data) unless they say otherwise.
    public func handle(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let api = request.path.hasPrefix("/api/")
        let finish: @Sendable (HTTPResponse, [(name: String, value: String)]) -> Void = { response, headers in
            var response = response
            for (name, value) in headers { response.headers.set(name, value) }
            if api && !response.headers.contains("Cache-Control") { response.headers.set("Cache-Control", "no-store") }
            respond(response)
        }
        let heavy = Self.isComputeHeavy(request, routeByID: service.configuration.routeByID)
        switch gate.check(request, computeHeavy: heavy) {
        case .refuse(let response): finish(response, [])
        case .pass(_, _, let headers): route(request) { finish($0, headers) }
        }
    }

    /// Whether a request takes from its client's compute budget: every `POST` under `/api/` (runs, comparisons,
    /// reports, attribution jobs, sign-in attempts) and the analyses that run the model again.
    /// Behind a proxy routing by id, `POST /api/runs`, `/api/reports`, `/api/explanations` and
    /// `/api/checkpoint-series` only redirect: the request they send on is the one counted.
    static func isComputeHeavy(_ request: HTTPRequest, routeByID: Bool = false) -> Bool {
        guard request.path.hasPrefix("/api/") else { return false }
        if routeByID
            && ["/api/runs", "/api/reports", "/api/explanations", "/api/checkpoint-series"].contains(request.path)
        {
            return false
        }
        if request.method == "POST" { return true }
        guard request.method == "GET" || request.method == "HEAD", request.path.hasPrefix("/api/runs/") else {
            return false
        }
        let last = request.path.split(separator: "/").last ?? ""
        return ["anomalies", "ablation", "attributions"].contains(String(last))
    }

    private func route(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch router.match(method: request.method, path: request.path) {
        case .found(let endpoint, let parameters):
            endpoint(self, request, parameters, respond)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.error(
                405, code: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.path)",
                details: ["allowed": allowed.joined(separator: ", ")])
            response.headers.set("Allow", allowed.joined(separator: ", "))
            respond(response)
        case .notFound:
            if !request.path.hasPrefix("/api/"), ["GET", "HEAD"].contains(request.method) {
                // Run permalinks are the UI's page, /login its sign-in page; everything else is a static file.
                let target = request.path.hasPrefix("/runs/") ? "/" : request.path == "/login" ? "/login.html" : nil
                var page: HTTPRequest? = request
                if let target {
                    page = try? HTTPRequest(
                        method: request.method, target: target, version: request.version, headers: request.headers,
                        body: Data())
                }
                if let page, let response = staticFiles?.response(for: page) { return respond(response) }
            }
            respond(.error(404, code: "not_found", message: "no such resource: \(request.path)"))
        }
    }

    static func response(_ error: ServiceError) -> HTTPResponse {
        var details: [String: String]? = nil
        if case .badParameter(let parameter, _) = error { details = ["parameter": parameter] }
        var response = HTTPResponse.error(error.status, code: error.code, message: error.description, details: details)
        if case .busy(_, let seconds) = error { response.headers.set("Retry-After", String(seconds)) }
        return response
    }

    // MARK: endpoints

    /// Checks the id a client gives a new job (`POST /api/reports/{id}`, `POST /api/explanations/{id}`, sent on by
    /// a 307): well formed for its table and not taken. Nil: no id given.
    func checkNewJobID<Detail, Output>(_ id: String?, in table: JobTable<Detail, Output>, noun: String) throws {
        guard let id else { return }
        guard table.isWellFormed(id) else {
            throw ServiceError.badParameter(
                "id",
                "\(noun) ids are \(table.prefix) and 80 lowercase hex digits (as POST /api/\(noun)s makes them), "
                    + "got \(id)")
        }
        guard !table.contains(id) else { throw ServiceError.conflict("the \(noun) \(id) exists already") }
    }

    /// A standalone HTML page (a report) as an answer: inline, with the reports' content security policy.
    static func standalonePage(_ page: String, filename: String) -> HTTPResponse {
        var response = HTTPResponse(status: 200, body: Data(page.utf8))
        response.headers.set("Content-Type", "text/html; charset=utf-8")
        response.headers.set("Content-Disposition", "inline; filename=\"\(filename)\"")
        response.headers.set("Content-Security-Policy", SecurityHeaders.reportPolicy)
        return response
    }

    /// 307 to `location` (same method, same body: the client sends the request again there), saying so in JSON.
    static func redirect(to location: String, id: String?) -> HTTPResponse {
        var w = JSONWriter()
        w.object { o in
            if let id { o.field("id", id) }
            o.field("location", location)
            o.field(
                "message",
                "this server is one of several behind a proxy that routes by id: send the same request to \(location)")
        }
        var response = HTTPResponse.json(307, w.data)
        response.headers.set("Location", location)
        return response
    }

    private func health() -> HTTPResponse {
        var w = JSONWriter()
        let load = service.compute.load
        w.object { o in
            o.field("status", "ok")
            o.field("version", Self.version)
            o.field("engine", RunService.engineVersion)
            o.field("loaded_models") { $0.array(service.registry.loadedNames) }
            o.field("runs_in_progress", load.running)
            o.field("runs_waiting", load.waiting)
            let analyses = service.analyses.load
            o.field("analyses_in_progress", analyses.running)
            o.field("analyses_waiting", analyses.waiting)
            let refused = gate.counts
            o.field("security") { w in
                w.object { s in
                    s.field("tokens_required", gate.configuration.requiresToken)
                    s.field("sessions", gate.sessions.count())
                    s.field("refused_misdirected", refused.misdirected)
                    s.field("refused_forbidden", refused.forbidden)
                    s.field("refused_unauthorized", refused.unauthorized)
                    s.field("refused_rate_limited", refused.rateLimited)
                    s.field("client_compute_per_minute", gate.computePerMinute)
                    s.field("client_compute_burst", gate.configuration.clientComputeBurst)
                }
            }
        }
        return .json(200, w.data)
    }

    private func models() -> HTTPResponse {
        let catalog = service.registry.catalog
        let loaded = Set(service.registry.loadedNames)
        var w = JSONWriter()
        w.object { o in
            o.field("default", catalog.defaultModel ?? "")
            o.field("limits") { w in
                let limits = service.configuration.limits
                w.object { l in
                    l.field("max_prompt_tokens", limits.maxPromptTokens)
                    l.field("max_prompt_bytes", limits.maxPromptBytes)
                    l.field("max_report_prompts", limits.maxReportPrompts)
                }
            }
            o.field("models") { w in
                w.array(catalog.entries) { w, entry in
                    if loaded.contains(entry.name), let model = try? service.registry.model(entry.name) {
                        ModelDescription.write(model, into: &w)
                    } else {
                        w.object { m in
                            m.field("name", entry.name)
                            m.field("weights", entry.weights.rawValue)
                            if let description = entry.description { m.field("description", description) }
                            if let license = entry.license { m.field("license", license) }
                        }
                    }
                }
            }
        }
        return .json(200, w.data)
    }

    /// `POST /api/runs` and `POST /api/runs/{id}` (`id`: the id the run must have, else 409). Behind a proxy
    /// routing by id (`routeByID`), `POST /api/runs` answers 307 to `POST /api/runs/{its id}` instead of computing.
    private func createRun(
        _ request: HTTPRequest, id: String?, _ respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        var parsed: RunService.RunRequest
        do {
            try QueryParameters(request.query).allow([])
            parsed = try RunRequestParser.parse(request.body, configuration: service.configuration)
            if let id {
                guard id.count == 64, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw ServiceError.badParameter("id", "run ids are 64 lowercase hex digits, got \(id)")
                }
            }
        } catch {
            return respond(Self.response(ServiceError(error)))
        }
        parsed.expectedID = id
        if id == nil && service.configuration.routeByID {
            return service.id(of: parsed) { result in
                switch result {
                case .success(let id): respond(Self.redirect(to: "/api/runs/" + id, id: id))
                case .failure(let error): respond(Self.response(error))
                }
            }
        }
        service.createRun(parsed) { result in
            switch result {
            case .success(let run): respond(.json(200, run.summary))
            case .failure(let error): respond(Self.response(error))
            }
        }
    }

    /// An analysis body already computed for `run` under the canonical `parameters`: from memory, or from the store
    /// when the run was restored from it (then kept in memory too).
    func cachedAnalysis(_ run: RunState, _ id: String, _ analysis: String, _ parameters: String) -> Data? {
        let key = analysis + "?" + parameters
        if let cached = run.result(key) { return cached }
        guard run.restored, let stored = service.persisted(runID: id, analysis: analysis, parameters: parameters)
        else { return nil }
        run.remember(key, stored)
        return stored
    }

    /// Keeps a computed analysis body in memory and in the store, where `cachedAnalysis` finds it.
    func keepAnalysis(_ run: RunState, _ id: String, _ analysis: String, _ parameters: String, _ body: Data) {
        run.remember(analysis + "?" + parameters, body)
        service.persist(runID: id, analysis: analysis, parameters: parameters, body: body)
    }

    /// Finds the run, parses the query into a prepared request (a bad value is answered at once), then answers from
    /// the cache (key: the analysis and the query's canonical form, so equal requests share one entry) or computes
    /// it where `placement` says (a full queue answers 503 busy with Retry-After).
    private func withRun(
        _ id: String, _ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void,
        cacheAs analysis: String? = nil, placement: Placement = .handler,
        _ body: @escaping @Sendable (RunState, QueryParameters) throws -> AnalysisEndpoints.Prepared
    ) {
        service.state(id: id) { [self, service] result in
            let run: RunState, prepared: AnalysisEndpoints.Prepared
            let query = QueryParameters(request.query)
            do {
                run = try result.get()
                prepared = try body(run, query)
            } catch {
                return respond(Self.response(ServiceError(error)))
            }
            let parameters = query.canonical
            let key = analysis.map { $0 + "?" + parameters }
            if let analysis, let cached = cachedAnalysis(run, id, analysis, parameters) {
                return respond(.json(200, cached))
            }
            // Equal JSON requests in flight share one computation (and one place in its queue).
            let shared = key != nil && !prepared.binary
            let work: @Sendable () -> Void = {
                do {
                    let produced = try prepared.compute()
                    guard shared, let key else {
                        var response = HTTPResponse(status: 200, body: produced.data)
                        response.headers.set("Content-Type", produced.contentType)
                        return respond(response)
                    }
                    self.keepAnalysis(run, id, analysis!, parameters, produced.data)
                    run.finish(key, .success(produced.data))
                } catch {
                    // The query was validated: anything the computation did not turn into a ServiceError is ours.
                    if shared, let key {
                        run.finish(key, .failure(ServiceError(error)))
                    } else {
                        respond(Self.response(ServiceError(error)))
                    }
                }
            }
            if shared, let key {
                let first = run.join(key) { result in
                    switch result {
                    case .success(let data): respond(.json(200, data))
                    case .failure(let error): respond(Self.response(error))
                    }
                }
                guard first else { return }
            }
            let queue: ComputeQueue
            switch placement {
            case .handler: return work()
            case .analysisQueue: queue = service.analyses
            case .computeQueue: queue = service.compute
            }
            if !queue.submit(work) {
                let busy = ServiceError.busy(
                    "the server is busy with \(placement == .computeQueue ? "model" : "analysis") "
                        + "work: try again shortly", retryAfter: 2)
                if shared, let key { run.finish(key, .failure(busy)) } else { respond(Self.response(busy)) }
            }
        }
    }
}
