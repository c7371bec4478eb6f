import Foundation
import GlassboxServer
import HTTP
import Synchronization
import Testing
import TestSupport

/// Request handling stays responsive while the heaviest analysis computes: the contribution graph of a real model
/// (SmolLM2 135M, installed by `scripts/test`) of a 512-token prompt, four at once, runs on the analysis queue, below the
/// HTTP handlers' QoS, so `/api/health` is answered at once meanwhile. (512, not the 2048 the server allows: four
/// 2048-token graphs would take minutes on two cores, for the same point.)
@Suite("Health while a graph computes")
struct HealthUnderLoadTests {
    static let modelFile = "SmolLM2-135M-Instruct.Q4_1.gguf"

    @Test("GET /api/health p99 ≤ 50 ms while four graphs of a 512-token prompt compute")
    func healthStaysFast() throws {
        let directory = try Fixtures.temporaryDirectory()
        let model = Fixtures.realModel(Self.modelFile)
        try #require(
            FileManager.default.fileExists(atPath: model.path),
            "\(model.path) is missing: run `glassbox models install smollm2-135m` (scripts/test does)")
        let api = try ServerFixture.api(model: "smollm2", at: model.path, threads: 2, in: directory)
        let limit = min(512, api.service.configuration.limits.maxPromptTokens)

        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration) { request, respond in api.handle(request, respond) }
        let port = try server.start()
        defer { server.stop(gracePeriod: 1) }

        // The longest prompt of whole sentences within 512 tokens.
        let tokenizer = try api.service.registry.model("smollm2").tokenizer
        let sentence = "The quick brown fox jumps over the lazy dog near the river bank. "
        var repeats = 1
        while try tokenizer.encode(String(repeating: sentence, count: repeats + 1)).count <= limit { repeats += 1 }
        let prompt = String(repeating: sentence, count: repeats)
        let tokens = try tokenizer.encode(prompt).count
        #expect(tokens > limit - 20 && tokens <= limit)

        let body = try JSONSerialization.data(withJSONObject: ["prompt": prompt])
        let run = try HTTPTestClient.request(port: port, "POST", "/api/runs", body: body)
        try #require(run.status == 200, "\(run.text.prefix(300))")
        let id = try #require(try run.json()["id"] as? String)

        // Four graphs at once (distinct thresholds, so four computations): more work than the cores.
        let thresholds = ["0.01", "0.02", "0.03", "0.04"]
        let statuses = Mutex<[Int]>([])
        let started = Date()
        for threshold in thresholds {
            Thread {
                let response = try? HTTPTestClient.request(
                    port: port, "GET", "/api/runs/\(id)/graph?threshold=\(threshold)")
                statuses.withLock { $0.append(response?.status ?? -1) }
            }.start()
        }
        var latencies: [Double] = []
        while statuses.withLock({ $0.count }) < thresholds.count {
            let sent = Date()
            let health = try HTTPTestClient.request(port: port, "GET", "/api/health")
            latencies.append(Date().timeIntervalSince(sent))
            #expect(health.status == 200)
            Thread.sleep(forTimeInterval: 0.01)
        }
        let graphSeconds = Date().timeIntervalSince(started)
        #expect(statuses.withLock { $0 } == [200, 200, 200, 200])
        // Enough samples for a 99th percentile to mean something: the graph must have kept the server busy.
        try #require(
            latencies.count >= 50,
            "the graphs took \(graphSeconds) s, too short to measure health under load")
        let sorted = latencies.sorted()
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        print(
            "health p99 \(p99 * 1000) ms, max \(sorted.last! * 1000) ms over \(latencies.count) requests during \(graphSeconds) s of graphs"
        )
        #expect(
            p99 <= 0.050,
            "health p99 \(p99 * 1000) ms over \(latencies.count) requests during \(graphSeconds) s of graphs")
        // Nor does any one request wait behind a graph (with the graph on the handler queue: one 2 s stall in 500).
        #expect(sorted.last! <= 0.5, "a health request took \(sorted.last! * 1000) ms")
    }
}
