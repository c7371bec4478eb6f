import JSON
import Foundation
import HTTP

/// The HTTP face of Glassbox: the JSON API of design.md §3, the OpenAPI document and the UI's static files, as one
/// request handler for `HTTPServer`. Routing is a pure table (`router`), testable without sockets.
public final class GlassboxAPI: Sendable {
    public let service: RunService
    public let staticFiles: StaticFiles?
    public let router: Router<Endpoint>
    /// Report jobs started by `POST /api/reports`.
    public let reports = ReportJobs()
    /// Where report jobs run: one at a time beside the run queue, so a long report never holds up single runs.
    let reportQueue = ComputeQueue(maxConcurrent: 1, maxQueued: 64)
    public static let version = "0.1.0"

    /// What a route does, given the request and its path parameters.
    public typealias Endpoint = @Sendable (GlassboxAPI, HTTPRequest, [String: String],
                                           @escaping @Sendable (HTTPResponse) -> Void) -> Void

    public init(service: RunService, publicDirectory: URL?) {
        self.service = service
        staticFiles = publicDirectory.flatMap {
            FileManager.default.fileExists(atPath: $0.path) ? StaticFiles(root: $0) : nil
        }
        var router = Router<Endpoint>()
        router.add("GET", "/api/health") { api, _, _, respond in respond(api.health()) }
        router.add("GET", "/api/models") { api, _, _, respond in respond(api.models()) }
        router.add("GET", "/api/openapi.json") { _, _, _, respond in
            respond(.json(200, Data(OpenAPIDocument.text.utf8)))
        }
        router.add("POST", "/api/runs") { api, request, _, respond in api.createRun(request, respond) }
        router.add("POST", "/api/compare") { api, request, _, respond in api.compare(request, respond) }
        router.add("POST", "/api/reports") { api, request, _, respond in api.createReport(request, respond) }
        router.add("GET", "/api/reports/{id}") { api, request, parameters, respond in
            respond(api.reportStatus(parameters["id"]!, request, html: false))
        }
        router.add("GET", "/api/reports/{id}/html") { api, request, parameters, respond in
            respond(api.reportStatus(parameters["id"]!, request, html: true))
        }
        router.add("DELETE", "/api/reports/{id}") { api, request, parameters, respond in
            respond(api.cancelReport(parameters["id"]!, request))
        }
        router.add("GET", "/api/runs/{id}") { api, request, parameters, respond in
            api.withRun(parameters["id"]!, request, respond) { run, query in
                try query.allow([])
                return .json(run.summary)
            }
        }
        let workers = service.configuration.threads
        let analyses: [(String, @Sendable (RunState, QueryParameters) throws -> AnalysisEndpoints.Body)] = [
            ("graph", { try AnalysisEndpoints.graph($0, $1, workers: workers) }),
            ("attention", { try AnalysisEndpoints.attention($0, $1) }),
            ("contributions", { try AnalysisEndpoints.contributions($0, $1, workers: workers) }),
            ("lens", { try AnalysisEndpoints.lens($0, $1) }),
            ("lens-grid", { try AnalysisEndpoints.lensGrid($0, $1, workers: workers) }),
            ("promoted", { try AnalysisEndpoints.promoted($0, $1) }),
            ("neurons", { try AnalysisEndpoints.neurons($0, $1) }),
            ("metrics", { try AttentionAnalyticsEndpoints.metrics($0, $1) }),
            ("rollout", { try AttentionAnalyticsEndpoints.rollout($0, $1) }),
            ("flow", { try AttentionAnalyticsEndpoints.flow($0, $1) }),
            ("anomalies", { try DiagnosticsEndpoints.anomalies($0, $1, workers: workers) }),
            ("ablation", { try DiagnosticsEndpoints.ablation($0, $1, workers: workers) }),
        ]
        // These run many forward passes or a logit lens over every layer and position: model work, so they go
        // through the bounded compute queue like runs do.
        let queued: Set<String> = ["anomalies", "ablation"]
        for (name, analysis) in analyses {
            router.add("GET", "/api/runs/{id}/\(name)") { api, request, parameters, respond in
                api.withRun(parameters["id"]!, request, respond, cacheAs: name, onComputeQueue: queued.contains(name),
                            analysis)
            }
        }
        self.router = router
    }

    /// The request handler for `HTTPServer`.
    public func handle(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch router.match(method: request.method, path: request.path) {
        case .found(let endpoint, let parameters):
            endpoint(self, request, parameters, respond)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.error(405, code: "method_not_allowed",
                                              message: "\(request.method) is not allowed on \(request.path)",
                                              details: ["allowed": allowed.joined(separator: ", ")])
            response.headers.set("Allow", allowed.joined(separator: ", "))
            respond(response)
        case .notFound:
            if !request.path.hasPrefix("/api/"), ["GET", "HEAD"].contains(request.method) {
                // Run permalinks are the UI's page; everything else is a static file.
                let page = request.path.hasPrefix("/runs/") ? (try? HTTPRequest(method: request.method, target: "/",
                    version: request.version, headers: request.headers, body: Data())) : request
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
                w.raw("[")
                for (i, entry) in catalog.entries.enumerated() {
                    if i > 0 { w.raw(",") }
                    if loaded.contains(entry.name), let model = try? service.registry.model(entry.name) {
                        ModelDescription.write(model, into: &w)
                    } else {
                        w.object { m in
                            m.field("name", entry.name)
                            if let description = entry.description { m.field("description", description) }
                            if let license = entry.license { m.field("license", license) }
                        }
                    }
                }
                w.raw("]")
            }
        }
        return .json(200, w.data)
    }

    private func createRun(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let parsed: RunService.RunRequest
        do {
            try QueryParameters(request.query).allow([])
            parsed = try RunRequestParser.parse(request.body, configuration: service.configuration)
        } catch let error as ServiceError {
            return respond(Self.response(error))
        } catch {
            return respond(Self.response(.badParameter("body", "\(error)")))
        }
        service.createRun(parsed) { result in
            switch result {
            case .success(let run): respond(.json(200, run.summary))
            case .failure(let error): respond(Self.response(error))
            }
        }
    }

    /// Finds the run, then answers with `body(run, query)`, caching the result per canonical query when `cacheAs`
    /// names the analysis.
    private func withRun(_ id: String, _ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void,
                         cacheAs analysis: String? = nil, onComputeQueue: Bool = false,
                         _ body: @escaping @Sendable (RunState, QueryParameters) throws -> AnalysisEndpoints.Body) {
        let query = QueryParameters(request.query)
        let key = analysis.map { $0 + "?" + query.canonical }
        service.state(id: id) { [service] result in
            switch result {
            case .failure(let error): respond(Self.response(error))
            case .success(let run):
                if let key, let cached = run.result(key) { return respond(.json(200, cached)) }
                if let analysis, run.restored,
                   let stored = service.persisted(runID: id, analysis: analysis, parameters: query.canonical) {
                    run.remember(key!, stored)
                    return respond(.json(200, stored))
                }
                let work: @Sendable () -> Void = {
                    do {
                        let produced = try body(run, query)
                        if let key, produced.contentType == "application/json" {
                            run.remember(key, produced.data)
                            service.persist(runID: id, analysis: analysis!, parameters: query.canonical,
                                            body: produced.data)
                        }
                        var response = HTTPResponse(status: 200, body: produced.data)
                        response.headers.set("Content-Type", produced.contentType)
                        respond(response)
                    } catch let error as ServiceError {
                        respond(Self.response(error))
                    } catch {
                        respond(Self.response(.badParameter("query", "\(error)")))
                    }
                }
                guard onComputeQueue else { return work() }
                if !service.compute.submit(work) {
                    respond(Self.response(.busy("the server is busy with model work: try again shortly", retryAfter: 2)))
                }
            }
        }
    }
}
