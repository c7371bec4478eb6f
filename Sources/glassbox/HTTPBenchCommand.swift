import ArgumentParser
import Benchmarks
import Foundation

/// `glassbox bench http`: keep-alive GETs against a running server (loopback only).
struct HTTPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Requests per second and latency of one GET against a server on this machine (keep-alive).")

    @Option(name: .long, help: "Port of the server on 127.0.0.1.")
    var port: Int

    @Option(name: .long, help: "Path and query to request, e.g. /api/runs/ID/graph?target=-1.")
    var path: String

    @Option(name: .long, help: "Concurrent keep-alive connections.")
    var connections: Int = 4

    @Option(name: .long, help: "Seconds to run.")
    var duration: Double = 5

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
        guard (1...1024).contains(connections) else { throw ValidationError("--connections must be from 1 to 1024") }
        guard duration > 0 && duration <= 600 else { throw ValidationError("--duration must be from 0 to 600 seconds") }
    }

    func run() throws {
        try withFailureReport {
            let report = try HTTPLoadGenerator(port: port, path: path, connections: connections, duration: duration)
                .run()
            printOut(
                String(
                    format: "%d requests in %.2f s: %.0f req/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d errors",
                    report.requests, report.seconds, report.requestsPerSecond, report.p50Milliseconds,
                    report.p99Milliseconds, report.maxMilliseconds, report.errors))
        }
    }
}
