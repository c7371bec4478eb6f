import Foundation
import GlassboxServer
import HTTP
import Store
import TestSupport

/// A Glassbox API over the tiny fixture models with a fresh database, called without sockets.
struct ServerFixture {
    let directory: URL
    let configurationURL: URL
    let api: GlassboxAPI

    /// Writes a configuration naming tiny-gpt2 (default), tiny-llama and tiny-gemma3 by path.
    /// `extra`: more top-level keys (`"auth": {…}, "server": {…}`); `models`: more models (`"name": {"path": …}`).
    static func writeConfiguration(
        in directory: URL, limits: String = "{}", extra: String = "", models more: String = ""
    ) throws -> URL {
        let models =
            (["tiny-gpt2", "tiny-llama", "tiny-gemma3"].map {
                "\"\($0)\": {\"path\": \"\(Fixtures.model($0).path)\", \"license\": \"test fixture\"}"
            } + (more.isEmpty ? [] : [more])).joined(separator: ", ")
        let text = """
            {"default_model": "tiny-gpt2", "threads": 2, "memory_runs": 2,
             "cache": {"path": "\(directory.path)/models", "database": "\(directory.path)/runs.sqlite", "max_megabytes": 64},
             "limits": \(limits),\(extra.isEmpty ? "" : " " + extra + ",")
             "models": {\(models)}}
            """
        let url = directory.appendingPathComponent("glassbox.json")
        try Data(text.utf8).write(to: url)
        return url
    }

    init(
        limits: String = "{}", extra: String = "", models: String = "", directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws {
        self.directory = try directory ?? Fixtures.temporaryDirectory()
        configurationURL = try Self.writeConfiguration(
            in: self.directory, limits: limits, extra: extra, models: models)
        api = try Self.api(configurationURL, environment: environment)
    }

    /// An API over one model named `name` at `path` (which need not exist), with its cache in `directory`.
    static func api(model name: String, at path: String, threads: Int, in directory: URL) throws -> GlassboxAPI {
        let text = """
            {"default_model": "\(name)", "threads": \(threads),
             "cache": {"path": "\(directory.path)/models", "database": "\(directory.path)/runs.sqlite"},
             "models": {"\(name)": {"path": "\(path)"}}}
            """
        let url = directory.appendingPathComponent("glassbox.json")
        try Data(text.utf8).write(to: url)
        return try api(url)
    }

    static func api(_ url: URL, environment: [String: String] = [:]) throws -> GlassboxAPI {
        let configuration = try ServerConfiguration(contentsOf: url, environment: environment)
        let store = try RunStore(path: configuration.databasePath, maxBytes: configuration.cacheMaxBytes)
        let service = RunService(
            configuration: configuration, registry: ModelRegistry(catalog: configuration.catalog),
            store: store)
        return GlassboxAPI(service: service, publicDirectory: nil)
    }

    /// Calls the handler and waits for its response: `Host: localhost`, and a POST is JSON, unless `headers` say
    /// otherwise (a nil value removes the field).
    static func call(
        _ api: GlassboxAPI, _ method: String, _ target: String, body: String? = nil,
        headers extra: [(String, String?)] = [], peer: String = "127.0.0.1"
    ) throws -> HTTPResponse {
        var headers = HTTPHeaders([("Host", "localhost")])
        if method == "POST" { headers.add("Content-Type", "application/json") }
        for (name, value) in extra {
            if let value { headers.set(name, value) } else { headers.remove(name) }
        }
        var request = try HTTPRequest(
            method: method, target: target, version: "HTTP/1.1", headers: headers, body: Data((body ?? "").utf8))
        request.peerAddress = peer
        let box = ResponseBox()
        api.handle(request) { box.set($0) }
        return box.wait()
    }

    func call(
        _ method: String, _ target: String, body: String? = nil, headers: [(String, String?)] = [],
        peer: String = "127.0.0.1"
    ) throws -> HTTPResponse {
        try Self.call(api, method, target, body: body, headers: headers, peer: peer)
    }

    /// Polls a report job until it is done, failed or cancelled (at most a minute); returns that status.
    func waitForReport(_ id: String) throws -> String {
        try waitForJob("/api/reports/\(id)")["status"] as? String ?? "timed out"
    }

    /// Polls a job (`GET path`) until it is done, failed or cancelled (at most a minute); returns its last body.
    func waitForJob(_ path: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(60)
        var body: [String: Any] = [:]
        while Date() < deadline {
            body = try json(try call("GET", path))
            if ["done", "failed", "cancelled"].contains(body["status"] as? String ?? "?") { return body }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return body
    }

    /// Creates a run and returns its id.
    func run(_ prompt: String, model: String? = nil) throws -> String {
        let body = "{\"prompt\": \(jsonString(prompt))" + (model.map { ", \"model\": \"\($0)\"" } ?? "") + "}"
        let response = try call("POST", "/api/runs", body: body)
        guard response.status == 200, let id = try json(response)["id"] as? String else {
            throw HTTPTestClient.ClientError(
                message: "run failed: \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return id
    }
}

func json(_ response: HTTPResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
}

func jsonString(_ text: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
        .description
}

/// One response handed from the handler's thread to the test.
final class ResponseBox: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var response: HTTPResponse?
    private let lock = NSLock()

    func set(_ value: HTTPResponse) {
        lock.lock()
        response = value
        lock.unlock()
        semaphore.signal()
    }

    func wait() -> HTTPResponse {
        semaphore.wait()
        lock.lock()
        defer { lock.unlock() }
        return response!
    }
}
