import Analysis
import Foundation
import GlassboxServer
import HTTP
import Reports
import Synchronization
import Tokenizers
import Testing
import TestSupport
import Transformer

/// Attention analytics over HTTP: metrics with clusters, anomalies, ablation, comparisons and report jobs, each
/// against the Analysis and Reports libraries on the same input, and their bad inputs.
@Suite("HTTP API: analytics, comparisons and reports")
struct AnalyticsAPITests {
    static let prompt = "When Mary and John went to the store, John gave a drink to"

    static func trace(_ server: ServerFixture, _ id: String, model name: String) throws -> (DecoderModel, Trace) {
        let model = try ModelLoader.load(Fixtures.model(name))
        let summary = try json(try server.call("GET", "/api/runs/\(id)"))
        let ids = (summary["tokens"] as! [[String: Any]]).map { $0["id"] as! Int }
        return (model, try model.forward(tokens: ids, options: ForwardOptions(workers: 2)))
    }

    @Test("metrics clusters, anomalies and ablation equal the library on the same run")
    func runAnalytics() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-llama")
        let (model, trace) = try Self.trace(server, id, model: "tiny-llama")

        let metrics = try json(try server.call("GET", "/api/runs/\(id)/metrics?clusters=3"))
        let clustering = try HeadClustering(metrics: try HeadMetrics.all(trace: trace), k: 3)
        #expect((metrics["heads"] as! [[String: Any]]).map { $0["cluster"] as! Int } == clustering.assignment)
        let groups = (metrics["clusters"] as! [String: Any])["groups"] as! [[String: Any]]
        #expect(groups.map { ($0["members"] as! [[Int]]).count } == (0..<3).map { clustering.members(of: $0).count })

        let query = "high_attention=0.3&include_first_token=true&dead_fraction=1&outlier_factor=4&uniform_min_row=2"
        let anomalies = try json(try server.call("GET", "/api/runs/\(id)/anomalies?\(query)"))
        var parameters = AnomalyParameters()
        parameters.highAttention = 0.3
        parameters.includeFirstToken = true
        parameters.deadFraction = 1
        parameters.outlierFactor = 4
        parameters.uniformMinRow = 2
        let found = AttentionAnomalies(
            trace: trace, headOutputNorms: try HeadOutputNorms(model: model, trace: trace),
            parameters: parameters)
        let entries = anomalies["anomalies"] as! [[String: Any]]
        func count(_ type: String) -> Int { entries.filter { $0["type"] as? String == type }.count }
        #expect(count("high_attention") == found.highAttention.count && found.highAttention.count > 0)
        #expect(count("dead_head") == found.deadHeads.count)
        #expect(count("uniform_attention") == found.uniformAttention.count)
        #expect(count("outlier_activation") == Set(found.outlierActivations.map(\.dimension)).count)
        let strongest = found.highAttention[0].strongest
        let first = entries.first { $0["type"] as? String == "high_attention" }!
        #expect(first["layer"] as? Int == strongest.layer && first["head"] as? Int == strongest.head)
        #expect(first["threshold"] as? Double == 0.3 && first["count"] as? Int == found.highAttention[0].hits.count)
        let flips = try LensFlip.compute(model: model, trace: trace)
        #expect(
            (anomalies["lens_flips"] as! [[String: Any]]).map { $0["settled_layer"] as! Int }
                == flips.map(\.settledLayer))

        let ablation = try json(try server.call("GET", "/api/runs/\(id)/ablation"))
        let effects = try AblationEffects.measure(model: model, baseline: trace, workers: 2)
        let heads = ablation["heads"] as! [[String: Any]]
        #expect(heads.count == model.info.layers * model.info.heads)
        for (h, e) in zip(heads, effects.heads) {
            #expect(abs((h["delta_log_probability"] as! Double) - e.deltaLogProbability) < 1e-12)
        }
        #expect((ablation["layers"] as! [Any]).count == model.info.layers)
        #expect((ablation["predicted"] as! [String: Any])["id"] as? Int == effects.predicted)

        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/anomalies?high_attention=2"), status: 400,
            code: "bad_parameter", parameter: "high_attention")
        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/anomalies?outlier_factor=x"), status: 400,
            code: "bad_parameter", parameter: "outlier_factor")
        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/metrics?clusters=0"), status: 400,
            code: "bad_parameter", parameter: "clusters")
        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/ablation?layer=1"), status: 400,
            code: "bad_parameter", parameter: "layer")
    }

    @Test("POST /api/compare: pairs and templates equal the library; bad comparisons are 400s")
    func compare() throws {
        let server = try ServerFixture(limits: "{\"max_report_prompts\": 3}")
        let pair = try server.call(
            "POST", "/api/compare",
            body: """
                {"model": "tiny-gpt2", "prompts": ["The [[doctor]] said that", "The [[nurse]] said that"],
                 "targets": [" he", " she"], "metrics": ["entropy", "sparsity"]}
                """)
        #expect(pair.status == 200, "\(String(decoding: pair.body, as: UTF8.self))")
        let body = try json(pair)
        let url = Fixtures.model("tiny-gpt2")
        let expected = try PromptComparison.compare(
            kind: .pair, prompts: ["The [[doctor]] said that", "The [[nurse]] said that"], targets: [" he", " she"],
            model: try ModelLoader.load(url), tokenizer: try TokenizerLoader.load(url), workers: 2)
        let sides = body["prompts"] as! [[String: Any]]
        for (side, e) in zip(sides, expected.sides) {
            let logp = side["target_log_probabilities"] as! [Double]
            #expect(zip(logp, e.targetLogProbabilities).allSatisfy { abs($0 - $1) < 1e-12 })
        }
        #expect(body["kind"] as? String == "pair" && body["alignment"] as? String == "spans")
        #expect(
            ((body["heads"] as! [[String: Any]])[0]["difference"] as! [String: Any]).keys.sorted() == [
                "entropy", "sparsity"
            ])

        let templates = try json(
            try server.call(
                "POST", "/api/compare",
                body: """
                    {"model": "tiny-gpt2", "templates": ["The {} said", "My {} told me", "Ask the {}"], "slot": "doctor",
                     "targets": [" that"]}
                    """))
        #expect(templates["kind"] as? String == "templates")
        #expect(
            (templates["prompts"] as! [[String: Any]]).map { $0["label"] as! String } == [
                "The {} said", "My {} told me", "Ask the {}"
            ])
        #expect(((templates["variance"] as! [String: Any])["target_probability"] as! [Double]).count == 1)

        let bad: [(String, String)] = [
            ("{\"prompts\": [\"one\"]}", "prompts"),
            ("{\"prompts\": [\"The [[doctor]] said\", \"The nurse said\"]}", "prompts"),
            ("{\"prompts\": [\"a\", \"b\"], \"metrics\": [\"loudness\"]}", "metrics"),
            ("{\"prompts\": [\"a\", \"b\", \"c\", \"d\"]}", "prompts"),
            ("{\"templates\": [\"no slot here\", \"The {} said\"], \"slot\": \"x\"}", "templates"),
            ("{\"templates\": [\"The {} said\", \"A {}\"]}", "slot"),
            ("{\"prompts\": [\"a\", \"b\"], \"kind\": \"trio\"}", "kind"),
            ("{\"prompts\": [\"a\", \"b\"], \"colour\": 1}", "colour"),
            ("{\"prompts\": [\"a\", \"b\"], \"model\": \"nope\"}", "model"),
            ("{\"prompts\": [\"a\", \"b\"], \"targets\": [\"\"]}", "targets"),
            ("{\"prompts\": [\"a\", \"b\"], \"labels\": [\"en\"]}", "labels"),
            ("{\"prompts\": [\"a\", \"b\"], \"slot\": \"x\"}", "slot")
        ]
        for (text, parameter) in bad {
            try APITests.expectError(
                try server.call("POST", "/api/compare", body: text), status: 400,
                code: "bad_parameter", parameter: parameter)
        }
        // Longer than the model's context of 128 tokens: 413, as for a single run, before any pass.
        try APITests.expectError(
            try server.call(
                "POST", "/api/compare",
                body: """
                    {"prompts": ["a", "\(String(repeating: "word ", count: 200))"]}
                    """), status: 413, code: "too_large")
    }

    @Test("POST /api/reports: a job with progress, the report JSON and standalone HTML; bad sets are 400s")
    func reports() throws {
        let server = try ServerFixture(limits: "{\"max_report_prompts\": 3}")
        let started = try server.call(
            "POST", "/api/reports",
            body: """
                {"model": "tiny-gemma3", "prompts": ["The capital of France is", "Once upon a time"], "options": {"clusters": 2}}
                """)
        #expect(started.status == 202)
        let job = try json(started)
        let id = try #require(job["id"] as? String)
        let total = (job["progress"] as! [String: Any])["total"] as! Int
        let model = try ModelLoader.load(Fixtures.model("tiny-gemma3"))
        #expect(total == 2 * (1 + model.info.layers * model.info.heads + model.info.layers))
        #expect(try server.waitForReport(id) == "done")
        let done = try json(try server.call("GET", "/api/reports/\(id)"))
        #expect((done["progress"] as! [String: Any])["done"] as? Int == total)
        let report = try #require(done["report"] as? [String: Any])
        #expect((report["prompts"] as! [Any]).count == 2)
        #expect((report["heads"] as! [Any]).count == model.info.layers * model.info.heads)
        #expect(((report["clusters"] as! [String: Any])["groups"] as! [Any]).count == 2)
        let html = try server.call("GET", "/api/reports/\(id)/html")
        #expect(html.status == 200 && html.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(html.headers["Content-Security-Policy"] == SecurityHeaders.reportPolicy, "inline styles, no script")
        let page = String(decoding: html.body, as: UTF8.self)
        #expect(page.contains("<svg") && !page.contains("<script"))
        #expect(report["redundant_heads"] is [[Int]])
        let models = try json(try server.call("GET", "/api/models"))
        #expect((models["limits"] as? [String: Any])?["max_report_prompts"] as? Int == 3)

        let bad: [(String, String)] = [
            ("{\"prompts\": []}", "prompts"),
            ("{\"prompts\": [\"a\", \"b\", \"c\", \"d\"]}", "prompts"),
            ("{\"prompts\": [\"a\", \"\"]}", "prompts"),
            ("{\"prompts\": \"a\"}", "prompts"),
            ("{\"prompts\": [\"a\"], \"options\": {\"ablation\": \"yes\"}}", "options.ablation"),
            ("{\"prompts\": [\"a\"], \"options\": {\"speed\": 1}}", "options.speed"),
            ("{}", "prompts")
        ]
        for (text, parameter) in bad {
            try APITests.expectError(
                try server.call("POST", "/api/reports", body: text), status: 400,
                code: "bad_parameter", parameter: parameter)
        }
        try APITests.expectError(
            try server.call(
                "POST", "/api/reports",
                body: """
                    {"prompts": ["a", "\(String(repeating: "word ", count: 200))"]}
                    """), status: 413, code: "too_large")
        try APITests.expectError(
            try server.call("GET", "/api/reports/r0000000000000000"), status: 404,
            code: "report_not_found")
        try APITests.expectError(
            try server.call("DELETE", "/api/reports/r0000000000000000"), status: 404,
            code: "report_not_found")
    }

    @Test("cancelling a running report job stops it; its HTML is a 409 until done")
    func cancel() throws {
        let server = try ServerFixture()
        let release = Mutex(false)
        let started = try #require(
            server.api.reports.start(
                detail: ReportJobDetail(model: "tiny-gpt2", prompts: 1, prompt: 0), total: 10,
                compute: ComputeQueue(maxConcurrent: 1, maxQueued: 0)
            ) {
                shouldContinue, progress in
                progress(1, nil)
                while shouldContinue() && !release.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) }
                throw AnalysisCancelled()
            })
        let deadline = Date().addingTimeInterval(20)
        while server.api.reports.snapshot(started.id)?.done != 1 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let running = try json(try server.call("GET", "/api/reports/\(started.id)"))
        #expect(running["status"] as? String == "running")
        try APITests.expectError(
            try server.call("GET", "/api/reports/\(started.id)/html"), status: 409, code: "conflict")
        let cancelled = try json(try server.call("DELETE", "/api/reports/\(started.id)"))
        #expect(cancelled["status"] as? String == "cancelled")
        #expect(try server.waitForReport(started.id) == "cancelled")
        release.withLock { $0 = true }
    }

    @Test("at most maxLive report jobs are queued or running; cancelled ones free their place")
    func liveLimit() throws {
        let jobs = ReportJobs(prefix: "r")
        let queue = ComputeQueue(maxConcurrent: 1, maxQueued: 8)
        let work: ReportJobs.Work = { shouldContinue, _ in
            while shouldContinue() { Thread.sleep(forTimeInterval: 0.002) }
            throw AnalysisCancelled()
        }
        let detail = ReportJobDetail(model: "m", prompts: 1, prompt: 0)
        let first = try #require(jobs.start(detail: detail, total: 1, compute: queue, maxLive: 2, work: work))
        let second = try #require(jobs.start(detail: detail, total: 1, compute: queue, maxLive: 2, work: work))
        #expect(jobs.start(detail: detail, total: 1, compute: queue, maxLive: 2, work: work) == nil)
        #expect(jobs.cancel(second.id)?.status == .cancelled)
        let third = try #require(jobs.start(detail: detail, total: 1, compute: queue, maxLive: 2, work: work))
        for id in [first.id, third.id] { #expect(jobs.cancel(id)?.status == .cancelled) }
    }
}
