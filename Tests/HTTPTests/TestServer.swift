import Dispatch
import Foundation
import HTTP
import Synchronization

/// Handlers that hold their `respond` until the test releases them by name, to control response timing without
/// sleeping.
final class Gates: Sendable {
    private let waiting = Mutex<[String: @Sendable (HTTPResponse) -> Void]>([:])
    private let calls = Mutex<[String]>([])

    func hold(_ name: String, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        waiting.withLock { $0[name] = respond }
        record(name)
    }

    func record(_ name: String) {
        calls.withLock { $0.append(name) }
    }

    /// Answers the held request `name` with `text`.
    func release(_ name: String, _ text: String) {
        let respond = waiting.withLock { $0.removeValue(forKey: name) }
        respond?(HTTPResponse(status: 200, body: Data(text.utf8)))
    }

    var called: [String] { calls.withLock { $0 } }

    private let signals = Mutex<[String: DispatchSemaphore]>([:])

    /// A semaphore shared by name: a handler waits on it, the test signals it.
    func semaphore(_ name: String) -> DispatchSemaphore {
        signals.withLock { table in
            if let existing = table[name] { return existing }
            let created = DispatchSemaphore(value: 0)
            table[name] = created
            return created
        }
    }

    /// Waits (bounded) until `names` have all reached a handler; false if they didn't within `seconds`.
    func waitForCalls(_ names: Set<String>, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if names.isSubset(of: Set(called)) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }
}

/// A test route: the request, its path parameters, and the server's `respond`.
typealias Route = @Sendable (HTTPRequest, [String: String], @escaping @Sendable (HTTPResponse) -> Void) -> Void

/// A live server on 127.0.0.1 and a free port with a few test routes:
/// `GET /hello` → "hello"; `POST|PUT /echo` → the body; `GET /big?n=` → n bytes of a pattern;
/// `GET /gate/{name}` → held until `gates.release(name, …)`; `GET /delay?ms=` → answered after ms;
/// `GET /never` → never answered; `GET /stream?n=&ms=&gated=` → n pieces `piece i\n` streamed, one every ms (gated=1:
/// each after the test signals `piece-i`); `GET /peer` → the client's address (and its own X-Frame-Options). Other paths are 404, other methods 405.
final class TestServer: Sendable {
    let server: HTTPServer
    let gates = Gates()
    let accessLog = Lines()
    let port: Int

    init(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let lines = accessLog
        configuration.accessLog = { lines.append($0) }
        configure(&configuration)
        let gates = self.gates
        var router = Router<Route>()
        router.add("GET", "/hello") { _, _, respond in
            respond(
                HTTPResponse(
                    status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]),
                    body: Data("hello".utf8)))
        }
        for method in ["POST", "PUT"] {
            router.add(method, "/echo") { request, _, respond in
                respond(HTTPResponse(status: 200, body: request.body))
            }
        }
        router.add("GET", "/big") { request, _, respond in
            let count = Int(request.queryValue("n") ?? "") ?? 0
            respond(HTTPResponse(status: 200, body: TestServer.pattern(count)))
        }
        router.add("GET", "/gate/{name}") { _, parameters, respond in
            gates.hold(parameters["name"] ?? "", respond)
        }
        router.add("GET", "/delay") { request, _, respond in
            let milliseconds = Int(request.queryValue("ms") ?? "") ?? 0
            gates.record("delay")
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                respond(HTTPResponse(status: 200, body: Data("delayed".utf8)))
            }
        }
        router.add("GET", "/never") { _, _, _ in gates.record("never") }
        router.add("GET", "/stream") { request, _, respond in
            let count = Int(request.queryValue("n") ?? "") ?? 3
            let milliseconds = Int(request.queryValue("ms") ?? "") ?? 0
            let stream = ResponseStream()
            stream.onCancel { gates.record("stream-cancelled") }
            respond(.streaming(contentType: "text/plain", stream: stream))
            DispatchQueue.global().async {
                for index in 0..<count {
                    if stream.isCancelled { break }
                    if milliseconds > 0 { Thread.sleep(forTimeInterval: Double(milliseconds) / 1000) }
                    // gated=1: piece i waits until the test has read piece i - 1.
                    if request.queryValue("gated") == "1", index > 0 {
                        _ = gates.semaphore("piece-\(index)").wait(timeout: .now() + 20)
                        if stream.isCancelled { break }
                    }
                    stream.send("piece \(index)\n")
                    gates.record("stream-sent-\(index)")
                }
                stream.finish()
                gates.record("stream-done")
            }
        }
        router.add("GET", "/peer") { request, _, respond in
            var response = HTTPResponse(status: 200, body: Data(request.peerAddress.utf8))
            response.headers.set("X-Frame-Options", "SAMEORIGIN") // set by the handler: the default is not added
            respond(response)
        }
        let table = router
        server = HTTPServer(configuration: configuration) { request, respond in
            switch table.match(method: request.method, path: request.path) {
            case .found(let handler, let parameters): handler(request, parameters, respond)
            case .methodNotAllowed(let allowed): respond(.methodNotAllowed(request.method, allowed: allowed))
            case .notFound: respond(.notFound(request.path))
            }
        }
        port = try server.start()
    }

    /// n bytes of a repeating, position-dependent pattern.
    static func pattern(_ count: Int) -> Data {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8) }
        return Data(bytes)
    }

    func stop(gracePeriod: TimeInterval = 5) {
        server.stop(gracePeriod: gracePeriod)
    }

    /// Waits (bounded) until the server has `count` open connections.
    func waitForConnections(_ count: Int, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if server.openConnections == count { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }
}

/// Lines collected from any thread.
final class Lines: Sendable {
    private let items = Mutex<[String]>([])

    func append(_ line: String) {
        items.withLock { $0.append(line) }
    }

    var all: [String] { items.withLock { $0 } }
}
