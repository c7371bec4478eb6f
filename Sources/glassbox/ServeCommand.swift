import ArgumentParser
import Foundation
import GlassboxServer
import HTTP
import Store

/// `glassbox serve`: the HTTP server (JSON API, OpenAPI document, UI) with the SQLite run cache.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API and the UI over HTTP.",
        discussion: """
            Reads config/glassbox.json (or --config, or GLASSBOX_CONFIG); GLASSBOX_HOST, GLASSBOX_PORT, GLASSBOX_THREADS, \
            GLASSBOX_CACHE_DIR, GLASSBOX_DATABASE and GLASSBOX_PUBLIC_DIR override it; GLASSBOX_TOKEN, \
            GLASSBOX_TOKENS_FILE, GLASSBOX_ALLOWED_HOSTS and GLASSBOX_ALLOWED_ORIGINS add to it. A non-loopback \
            address needs access tokens (glassbox token new) or --insecure-no-auth. Installs the default model on \
            first start. --port 0 picks a free port. Stops gracefully on SIGINT or SIGTERM.
            """)

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "Address to listen on (default from the configuration: 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port (default from the configuration: 8080; 0 = any free port).")
    var port: Int?

    @Flag(name: .long, help: "Do not print one access-log line per request.")
    var quiet = false

    @Flag(
        name: .long,
        help: "Listen on a non-loopback address without access tokens (anyone who reaches the port can run jobs).")
    var insecureNoAuth = false

    func validate() throws {
        if let port, !(0...65_535).contains(port) {
            throw ValidationError("--port must be from 0 to 65535, got \(port)")
        }
    }

    func run() throws {
        try withFailureReport {
            let path = config ?? ProcessInfo.processInfo.environment["GLASSBOX_CONFIG"] ?? "config/glassbox.json"
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no configuration at \(path) (give --config FILE or set GLASSBOX_CONFIG)")
            }
            var settings = try ServerConfiguration(contentsOf: URL(fileURLWithPath: path))
            if let host { settings.host = host }
            if let port { settings.port = port }
            if !settings.security.requiresToken && !SecurityConfiguration.isLoopback(settings.host) && !insecureNoAuth {
                throw ValidationError(
                    "refusing to listen on \(settings.host) without access tokens: anyone who reaches the port could run "
                        + "jobs and read every run. Make a token with `glassbox token new` and give it as GLASSBOX_TOKEN "
                        + "(or its sha256 line in auth.tokens or a GLASSBOX_TOKENS_FILE), listen on 127.0.0.1, or pass "
                        + "--insecure-no-auth if something in front of Glassbox already checks who may use it")
            }
            let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: settings.databasePath).deletingLastPathComponent(),
                withIntermediateDirectories: true)
            let store = try RunStore(path: settings.databasePath, maxBytes: settings.cacheMaxBytes)
            let registry = ModelRegistry(catalog: settings.catalog)
            if let name = settings.catalog.defaultModel {
                log("loading the default model \(name)")
                _ = try registry.model(name, log: log)
            }
            let service = RunService(configuration: settings, registry: registry, store: store)
            let api = GlassboxAPI(service: service, publicDirectory: URL(fileURLWithPath: settings.publicDirectory))

            var http = HTTPServerConfiguration()
            http.host = settings.host
            http.port = settings.port
            http.maxHeaderBytes = settings.limits.maxHeaderBytes
            http.maxBodyBytes = settings.limits.maxBodyBytes
            http.maxConnections = settings.limits.maxConnections
            http.headerTimeout = settings.limits.requestTimeoutSeconds
            http.bodyTimeout = settings.limits.requestTimeoutSeconds
            http.defaultHeaders = SecurityHeaders.all
            if !quiet { http.accessLog = log }
            let server = HTTPServer(configuration: http) { request, respond in api.handle(request, respond) }
            let bound = try server.start()
            let shown = settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host
            printOut("Glassbox is serving http://\(shown):\(bound)/")
            if settings.security.requiresToken {
                log("access tokens required: \(settings.security.tokens.count) configured (sign in at /login)")
            }
            fflush(nil)
            let signal = HTTPServer.runUntilSignalled(server)
            log("signal \(signal): stopped accepting, finished the requests in flight")
            service.flush()
            store.close()
        }
    }
}
