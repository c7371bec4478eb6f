import Analysis
import Foundation
import GlassboxServer
import HTTP
import Synchronization
import Testing
import TestSupport
import Transformer

/// The JSON API through the request handler (no sockets): runs, every analysis endpoint against the Analysis
/// library on the same trace, and every bad-input class with its status and JSON error body.
@Suite("HTTP API")
struct APITests {
    static let prompt = "When Mary and John went to the store, John gave a drink to"

    /// Checks the error body `{"error": {"code", "message", "details"}}` and returns it.
    @discardableResult
    static func expectError(
        _ response: HTTPResponse, status: Int, code: String, parameter: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        #expect(
            response.status == status, "body: \(String(decoding: response.body, as: UTF8.self))",
            sourceLocation: sourceLocation)
        #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let error = try json(response)["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == code, "error: \(error)", sourceLocation: sourceLocation)
        #expect((error["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        if let parameter {
            #expect(
                (error["details"] as? [String: Any])?["parameter"] as? String == parameter, "error: \(error)",
                sourceLocation: sourceLocation)
        }
        return error
    }

    @Test("POST /api/runs: the summary has the tokens and the model's next-token predictions; same input, same id")
    func createRun() throws {
        let server = try ServerFixture()
        let first = try server.call(
            "POST", "/api/runs", body: "{\"prompt\": \"\(Self.prompt)\", \"options\": {\"top_k\": 3}}")
        #expect(first.status == 200)
        let summary = try json(first)
        let id = try #require(summary["id"] as? String)
        #expect(id.count == 64)
        let tokens = try #require(summary["tokens"] as? [[String: Any]])
        let model = try ModelLoader.load(Fixtures.model("tiny-gpt2"))
        let ids = tokens.map { $0["id"] as! Int }
        let trace = try model.forward(tokens: ids)
        let top = try #require(summary["top"] as? [[String: Any]])
        #expect(top.count == 3)
        let last = Array(try #require(trace.logits(at: ids.count - 1)))
        let best = last.indices.max { last[$0] < last[$1] }!
        #expect(top.first?["id"] as? Int == best)
        #expect(abs((top.first!["logit"] as! Double) - Double(last[best])) < 1e-4)
        let maximum = Double(last.max()!)
        let total = last.reduce(0.0) { $0 + exp(Double($1) - maximum) }
        #expect(abs((top.first!["probability"] as! Double) - exp(Double(last[best]) - maximum) / total) < 1e-5)
        #expect((summary["model"] as? [String: Any])?["layers"] as? Int == 2)

        let again = try server.call(
            "POST", "/api/runs", body: "{\"prompt\": \"\(Self.prompt)\", \"options\": {\"top_k\": 3}}")
        #expect(try json(again)["id"] as? String == id)
        #expect(again.body == first.body)
        let fetched = try server.call("GET", "/api/runs/\(id)")
        #expect(fetched.status == 200 && fetched.body == first.body)
        let other = try server.run(Self.prompt, model: "tiny-llama")
        #expect(other != id)
    }

    @Test("graph, contributions, lens, promoted, neurons and attention equal the Analysis library on the same run")
    func analyses() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-gemma3")
        let model = try ModelLoader.load(Fixtures.model("tiny-gemma3"))
        let summary = try json(try server.call("GET", "/api/runs/\(id)"))
        let ids = (summary["tokens"] as! [[String: Any]]).map { $0["id"] as! Int }
        // The fixture server runs with 2 threads; the same worker count gives the same bits.
        let trace = try model.forward(tokens: ids, options: ForwardOptions(workers: 2))
        let contributions = try ModelContributions.compute(model: model, trace: trace)
        let n = ids.count

        let graph = try json(try server.call("GET", "/api/runs/\(id)/graph?threshold=0.03"))
        let expected = ContributionGraph(contributions: contributions, options: try GraphOptions(threshold: 0.03))
        let edges = try #require(graph["edges"] as? [[String: Any]])
        #expect(
            edges.map { "\($0["source"]!)>\($0["target"]!):\($0["kind"]!)" }
                == expected.edges.map { "\($0.source)>\($0.target):\($0.kind.rawValue)" })
        for (e, x) in zip(edges, expected.edges) { #expect(abs((e["weight"] as! Double) - Double(x.weight)) < 1e-6) }
        let paths = try #require(graph["paths"] as? [[Int]])
        #expect(paths.count == n)
        #expect(
            paths[n - 1].map { "\(expected.edges[$0].source)>\(expected.edges[$0].target)" }
                == (try expected.paths(start: n - 1)).map { "\($0.source)>\($0.target)" })
        let target = try json(try server.call("GET", "/api/runs/\(id)/graph?threshold=0.03&target=-1"))
        #expect((target["edges"] as? [Any])?.count == paths[n - 1].count)

        let map = try json(try server.call("GET", "/api/runs/\(id)/contributions?layer=0&head=2"))
        let rows = try #require(map["map"] as? [[Double]])
        for q in 0..<n {
            for k in 0..<n {
                #expect(
                    abs(rows[q][k] - Double(contributions.attention[0].weight(target: q, source: k, head: 2))) < 1e-6)
            }
        }
        let pair = try json(
            try server.call("GET", "/api/runs/\(id)/contributions?layer=1&target=-1&source=0&threshold=0.03"))
        #expect(
            (pair["heads"] as? [Double])
                == (try expected.headWeights(layer: 1, target: n - 1, source: 0)).map(Double.init))

        let lens = try json(try server.call("GET", "/api/runs/\(id)/lens?layer=1&point=mid&token=3&k=4"))
        let reference = try LogitLens.top(
            model: model, trace: trace, representation: Representation(layer: 1, point: .mid, token: 3), k: 4)
        #expect((lens["top"] as? [[String: Any]])?.map { $0["id"] as! Int } == reference.map(\.id))
        #expect((lens["top"] as? [[String: Any]])?.map { $0["previous_rank"] as? Int } == reference.map(\.previousRank))

        let promoted = try json(
            try server.call("GET", "/api/runs/\(id)/promoted?kind=head&layer=0&head=1&k=3&normalize=false"))
        let block = try PromotedTokens.compute(
            model: model, trace: trace, block: .head(layer: 0, token: n - 1, head: 1), k: 3, normalize: false)
        #expect((promoted["promoted"] as? [[String: Any]])?.map { $0["id"] as! Int } == block.promoted.map(\.id))
        #expect((promoted["suppressed"] as? [[String: Any]])?.map { $0["id"] as! Int } == block.suppressed.map(\.id))
        #expect(promoted["caption"] as? String == "L0 ▸ attn ▸ H1")

        let neurons = try json(try server.call("GET", "/api/runs/\(id)/neurons?layer=1&token=2&k=5"))
        let top = try NeuronContributions.compute(model: model, trace: trace, layer: 1, token: 2).top(5)
        #expect((neurons["neurons"] as? [[String: Any]])?.map { $0["index"] as! Int } == top.map(\.index))

        let attention = try json(try server.call("GET", "/api/runs/\(id)/attention?layer=0&head=3"))
        let pattern = try #require(attention["pattern"] as? [[Double]])
        #expect(pattern.flatMap { $0 }.map { Float($0) } == Array(trace.attention(layer: 0, head: 3)))
        let binary = try server.call("GET", "/api/runs/\(id)/attention?layer=0&head=all&format=f32")
        #expect(binary.headers["Content-Type"] == "application/octet-stream" && binary.body.count == n * n * 4)
        let floats = binary.body.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats == (try AttentionMaps.pattern(trace: trace, layer: 0, head: nil)))
    }

    @Test("bad input: each class has its status and a JSON error naming what is wrong")
    func badInput() throws {
        let server = try ServerFixture(limits: "{\"max_prompt_tokens\": 8}")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: ""), status: 400, code: "bad_parameter", parameter: "body")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": "), status: 400, code: "bad_parameter",
            parameter: "body")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "[1]"), status: 400, code: "bad_parameter", parameter: "body")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{}"), status: 400, code: "bad_parameter", parameter: "prompt")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": 3}"), status: 400, code: "bad_parameter",
            parameter: "prompt")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": \"a\", \"colour\": 1}"), status: 400,
            code: "bad_parameter", parameter: "colour")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": \"a\", \"model\": \"gpt-5\"}"), status: 400,
            code: "bad_parameter", parameter: "model")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": \"a\", \"options\": {\"top_k\": 0}}"), status: 400,
            code: "bad_parameter", parameter: "options.top_k")
        try Self.expectError(
            try server.call("POST", "/api/runs", body: "{\"prompt\": \"\(Self.prompt)\"}"), status: 413,
            code: "too_large")
        try Self.expectError(try server.call("GET", "/api/runs/abc"), status: 404, code: "run_not_found")
        try Self.expectError(
            try server.call("GET", "/api/runs/\(String(repeating: "0", count: 64))/graph"), status: 404,
            code: "run_not_found")
        try Self.expectError(try server.call("DELETE", "/api/runs"), status: 405, code: "method_not_allowed")
        try Self.expectError(try server.call("GET", "/api/nothing"), status: 404, code: "not_found")

        let id = try server.run("The cat sat")
        for (query, parameter) in [
            ("graph?threshold=2", "threshold"), ("graph?threshold=x", "threshold"),
            ("graph?target=99", "target"), ("graph?renormalize=maybe", "renormalize"),
            ("graph?colour=red", "colour"), ("graph?threshold=0.1&threshold=0.2", "threshold"),
            ("lens?layer=2", "layer"), ("lens", "layer"), ("lens?layer=0&point=middle", "point"),
            ("lens?layer=0&k=0", "k"), ("attention?layer=0&head=4", "head"),
            ("attention?layer=0&format=png", "format"), ("promoted?layer=0", "kind"),
            ("promoted?kind=neuron&layer=0", "neuron"), ("promoted?kind=head&layer=0&head=9", "head"),
            ("neurons?layer=0&token=-9", "token"), ("contributions?layer=0&target=0", "source")
        ] {
            try Self.expectError(
                try server.call("GET", "/api/runs/\(id)/\(query)"), status: 400, code: "bad_parameter",
                parameter: parameter)
        }
    }

    @Test("a full run queue answers 503 with Retry-After")
    func busy() throws {
        let server = try ServerFixture(limits: "{\"max_concurrent_runs\": 1, \"max_queued_runs\": 0}")
        let release = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        #expect(
            server.api.service.compute.submit {
                started.signal()
                release.wait()
            })
        started.wait()
        let response = try server.call("POST", "/api/runs", body: "{\"prompt\": \"The cat\"}")
        try Self.expectError(response, status: 503, code: "busy")
        #expect(response.headers["Retry-After"] == "2")
        release.signal()
    }

    @Test("identical concurrent runs are computed once and all get the same answer")
    func concurrentIdenticalRuns() throws {
        let server = try ServerFixture(limits: "{\"max_concurrent_runs\": 2, \"max_queued_runs\": 64}")
        let bodies = Mutex<[Data]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let prompt = i % 2 == 0 ? "The cat sat on the mat" : "A dog"
            let response = try! ServerFixture.call(server.api, "POST", "/api/runs", body: "{\"prompt\": \"\(prompt)\"}")
            bodies.withLock { $0.append(response.body) }
        }
        let distinct = Set(bodies.withLock { $0 })
        #expect(distinct.count == 2)
        #expect(try server.api.service.store.runCount() == 2)
    }

    @Test("after a restart, cached runs and results are served from the database")
    func restart() throws {
        let first = try ServerFixture()
        let id = try first.run(Self.prompt, model: "tiny-llama")
        let summary = try first.call("GET", "/api/runs/\(id)").body
        let graph = try first.call("GET", "/api/runs/\(id)/graph?threshold=0.05").body
        first.api.service.flush()
        first.api.service.store.close()

        let second = try ServerFixture(directory: first.directory)
        let again = try second.call("GET", "/api/runs/\(id)")
        #expect(again.status == 200 && again.body == summary)
        #expect(try second.call("GET", "/api/runs/\(id)/graph?threshold=0.05").body == graph)
        let lens = try second.call("GET", "/api/runs/\(id)/lens?layer=0")
        #expect(lens.status == 200)
        #expect(try second.api.service.store.check() == "ok")
    }
}
