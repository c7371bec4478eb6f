import Dispatch
import Foundation
import HTTP
import Testing

/// Not tests: switched on by environment variables, for measuring and for pointing `Tests/Live/http_*.py` at.
@Suite("HTTP server, manual runs")
struct ManualServeTests {
    private static let environment = ProcessInfo.processInfo.environment

    /// `GLASSBOX_HTTP_SERVE_SECONDS=60 GLASSBOX_HTTP_PORT=8089`: the test server (`/hello`, `/echo`, …) for that
    /// long.
    @Test("serve the test routes for a while", .enabled(if: environment["GLASSBOX_HTTP_SERVE_SECONDS"] != nil))
    func serve() throws {
        let seconds = Double(Self.environment["GLASSBOX_HTTP_SERVE_SECONDS"] ?? "") ?? 60
        let server = try TestServer { $0.port = Int(Self.environment["GLASSBOX_HTTP_PORT"] ?? "") ?? 8089 }
        print("serving on 127.0.0.1:\(server.port) for \(seconds) s")
        Thread.sleep(forTimeInterval: seconds)
        print("open connections at the end: \(server.server.openConnections)")
        server.stop()
    }

    /// `GLASSBOX_HTTP_BENCH=1`: keep-alive requests per second on a trivial handler, from 1 and 2 client threads.
    @Test("keep-alive throughput", .enabled(if: environment["GLASSBOX_HTTP_BENCH"] != nil))
    func throughput() throws {
        let server = try TestServer()
        defer { server.stop() }
        let perClient = 20_000
        for clients in [1, 2] {
            let start = DispatchTime.now()
            DispatchQueue.concurrentPerform(iterations: clients) { _ in
                guard let client = try? RawClient(port: server.port) else { return }
                for _ in 0..<perClient {
                    guard (try? client.send(get("/hello"))) != nil, (try? client.readResponse()) != nil else { return }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            print("\(clients) keep-alive client(s): \(Int(Double(clients * perClient) / seconds)) requests/s")
        }
        let start = DispatchTime.now()
        let pipelined = try RawClient(port: server.port)
        let batch = (0..<100).map { _ in get("/hello") }.joined()
        for _ in 0..<200 {
            try pipelined.send(batch)
            for _ in 0..<100 { _ = try pipelined.readResponse() }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("pipelined (100 deep, 1 client): \(Int(20_000 / seconds)) requests/s")
    }
}
