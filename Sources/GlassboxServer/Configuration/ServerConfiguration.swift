import Foundation
import ModelCatalog
import ModelFormats

/// Everything `glassbox serve` reads from `config/glassbox.json` (and the environment), validated at start: every
/// error names the key. Models and their cache come from `ModelCatalog` (same file).
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Worker threads of one analysis or forward pass.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// The run cache database file.
    public var databasePath: String
    /// Cap of the run cache, in bytes.
    public var cacheMaxBytes = 2_048 << 20
    /// Runs kept in memory with their traces and contributions.
    public var memoryRuns = 4
    /// Most megabytes of traces the runs kept in memory may hold together (the newest run is always kept): a
    /// 2048-token trace of a 1.5B model is several gigabytes. Default: a quarter of the machine's memory.
    public var memoryMegabytes = Int(ProcessInfo.processInfo.physicalMemory >> 22)
    public var limits = Limits()
    /// Access tokens, allowed hosts and origins, per-client limits.
    public var security = SecurityConfiguration()
    /// One of several instances behind a proxy that routes by id (`server.route_by_id`, `GLASSBOX_ROUTE_BY_ID`;
    /// README "Several instances"): `POST /api/runs` and `POST /api/reports` answer 307 to the URL of the id they
    /// will have, so the proxy's hash of that id picks the instance that computes and keeps it.
    public var routeByID = false
    /// Where the UI's static files are.
    public var publicDirectory: String
    public let catalog: ModelCatalog

    /// Request and compute limits.
    public struct Limits: Sendable, Equatable {
        public var maxPromptTokens = 2048
        public var maxPromptBytes = 32_768
        public var maxBodyBytes = 1 << 20
        public var maxHeaderBytes = 16_384
        public var requestTimeoutSeconds = 30.0
        public var maxConnections = 1024
        public var maxConcurrentRuns = 1
        public var maxQueuedRuns = 16
        /// Analyses computed at once (graph, contributions, lens, metrics, …: each may also use `threads` workers)
        /// and waiting beyond those; a request past both is answered 503 with Retry-After.
        public var maxConcurrentAnalyses = 2
        public var maxQueuedAnalyses = 128
        /// Most prompts in one report or comparison.
        public var maxReportPrompts = 50
        /// Most tokens one `POST /api/generate` may ask for.
        public var maxNewTokens = 256
        /// Most tokens a prompt of `POST /api/explanations` may have: an evaluation runs on the order of 30·n
        /// passes of n tokens.
        public var maxExplanationTokens = 128

        public init() {}
    }

    static let topLevelKeys = [
        "default_model", "cache", "models", "host", "port", "limits", "threads", "public",
        "memory_runs", "memory_megabytes", "auth", "server", "checkpoint_series"
    ]

    /// Parses `url`, then applies the environment overrides (`GLASSBOX_HOST`, `GLASSBOX_PORT`, `GLASSBOX_THREADS`,
    /// `GLASSBOX_CACHE_DIR` for the models and the database, `GLASSBOX_DATABASE`, `GLASSBOX_PUBLIC_DIR`,
    /// `GLASSBOX_ROUTE_BY_ID`, and those
    /// of `SecurityConfiguration`).
    public init(contentsOf url: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let config = try JSONConfig(contentsOf: url)
        let base = url.deletingLastPathComponent().deletingLastPathComponent()
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : base.appendingPathComponent(path).path }
        func fail(_ key: String, _ message: String) -> ModelFormatError {
            ModelFormatError(path: url.path, "key \"\(key)\": \(message)")
        }

        for key in config.keys where !Self.topLevelKeys.contains(key) {
            throw ModelFormatError(
                path: url.path, "unknown key \"\(key)\" (known: \(Self.topLevelKeys.joined(separator: ", ")))")
        }
        var catalog = try ModelCatalog(contentsOf: url)
        host = try config.string("host", default: host)!
        port = try config.int("port", default: port)!
        threads = try config.int("threads", default: threads)!
        memoryRuns = try config.int("memory_runs", default: memoryRuns)!
        memoryMegabytes = try config.int("memory_megabytes", default: memoryMegabytes)!
        publicDirectory = resolve(try config.string("public", default: "Public")!)
        var database = ".cache/runs.sqlite"
        if let cache = try config.object("cache") {
            for key in cache.keys where !["path", "database", "max_megabytes"].contains(key) {
                throw fail("cache", "unknown key \"\(key)\" (known: path, database, max_megabytes)")
            }
            database = try cache.string("database", default: database)!
            let megabytes = try cache.int("max_megabytes", default: cacheMaxBytes >> 20)!
            guard megabytes > 0 && megabytes < 1 << 30 else {
                throw fail("cache.max_megabytes", "must be a positive number of megabytes")
            }
            cacheMaxBytes = megabytes << 20
        }
        databasePath = resolve(database)
        if let limits = try config.object("limits") {
            let known = [
                "max_prompt_tokens", "max_prompt_bytes", "max_body_bytes", "max_header_bytes",
                "request_timeout_seconds", "max_connections", "max_concurrent_runs", "max_queued_runs",
                "max_concurrent_analyses", "max_queued_analyses", "max_report_prompts", "client_compute_per_minute",
                "client_compute_burst", "max_new_tokens", "max_explanation_tokens"
            ]
            for key in limits.keys where !known.contains(key) {
                throw fail("limits", "unknown key \"\(key)\" (known: \(known.joined(separator: ", ")))")
            }
            func positive(_ key: String, _ fallback: Int) throws -> Int {
                let value = try limits.int(key, default: fallback)!
                guard value > 0 else { throw fail("limits.\(key)", "must be a positive integer, got \(value)") }
                return value
            }
            self.limits.maxPromptTokens = try positive("max_prompt_tokens", self.limits.maxPromptTokens)
            self.limits.maxPromptBytes = try positive("max_prompt_bytes", self.limits.maxPromptBytes)
            self.limits.maxReportPrompts = try positive("max_report_prompts", self.limits.maxReportPrompts)
            self.limits.maxNewTokens = try positive("max_new_tokens", self.limits.maxNewTokens)
            self.limits.maxExplanationTokens = try positive(
                "max_explanation_tokens", self.limits.maxExplanationTokens)
            self.limits.maxBodyBytes = try positive("max_body_bytes", self.limits.maxBodyBytes)
            self.limits.maxHeaderBytes = try positive("max_header_bytes", self.limits.maxHeaderBytes)
            self.limits.maxConnections = try positive("max_connections", self.limits.maxConnections)
            self.limits.maxConcurrentRuns = try positive("max_concurrent_runs", self.limits.maxConcurrentRuns)
            self.limits.maxQueuedRuns = try limits.int("max_queued_runs", default: self.limits.maxQueuedRuns)!
            guard self.limits.maxQueuedRuns >= 0 else { throw fail("limits.max_queued_runs", "must be 0 or more") }
            self.limits.maxConcurrentAnalyses = try positive(
                "max_concurrent_analyses", self.limits.maxConcurrentAnalyses)
            self.limits.maxQueuedAnalyses = try limits.int(
                "max_queued_analyses", default: self.limits.maxQueuedAnalyses)!
            guard self.limits.maxQueuedAnalyses >= 0 else {
                throw fail("limits.max_queued_analyses", "must be 0 or more")
            }
            let timeout = try limits.double("request_timeout_seconds", default: self.limits.requestTimeoutSeconds)
            guard timeout > 0 && timeout.isFinite else {
                throw fail("limits.request_timeout_seconds", "must be positive")
            }
            self.limits.requestTimeoutSeconds = timeout
        }

        if let server = try config.object("server") { routeByID = try server.bool("route_by_id", default: false) }
        security = try SecurityConfiguration(
            config: config, limits: try config.object("limits"), url: url, environment: environment,
            resolve: resolve)

        // Environment overrides (Docker).
        if let value = environment["GLASSBOX_HOST"], !value.isEmpty { host = value }
        if let value = environment["GLASSBOX_PORT"] {
            guard let number = Int(value) else {
                throw ModelFormatError(path: "GLASSBOX_PORT", "must be a port number, got \"\(value)\"")
            }
            port = number
        }
        if let value = environment["GLASSBOX_THREADS"] {
            guard let number = Int(value) else {
                throw ModelFormatError(path: "GLASSBOX_THREADS", "must be a number, got \"\(value)\"")
            }
            threads = number
        }
        if let value = environment["GLASSBOX_CACHE_DIR"], !value.isEmpty {
            catalog = catalog.withCacheDirectory(URL(fileURLWithPath: value))
            databasePath = URL(fileURLWithPath: value).appendingPathComponent("runs.sqlite").path
        }
        if let value = environment["GLASSBOX_DATABASE"], !value.isEmpty { databasePath = value }
        if let value = environment["GLASSBOX_ROUTE_BY_ID"], !value.isEmpty {
            guard let flag = ["1": true, "true": true, "0": false, "false": false][value.lowercased()] else {
                throw ModelFormatError(path: "GLASSBOX_ROUTE_BY_ID", "must be 1, true, 0 or false, got \"\(value)\"")
            }
            routeByID = flag
        }
        if let value = environment["GLASSBOX_PUBLIC_DIR"], !value.isEmpty { publicDirectory = value }
        self.catalog = catalog

        guard (0...65_535).contains(port) else { throw fail("port", "must be from 0 to 65535, got \(port)") }
        guard (1...256).contains(threads) else { throw fail("threads", "must be from 1 to 256, got \(threads)") }
        guard memoryRuns > 0 else { throw fail("memory_runs", "must be at least 1, got \(memoryRuns)") }
        guard memoryMegabytes > 0 else {
            throw fail("memory_megabytes", "must be at least 1, got \(memoryMegabytes)")
        }
        guard catalog.defaultModel != nil else { throw fail("default_model", "is required by the server") }
    }
}
