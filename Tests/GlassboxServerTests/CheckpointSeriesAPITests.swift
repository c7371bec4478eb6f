import Analysis
import Foundation
import GlassboxServer
import HTTP
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

/// `GET`/`POST /api/checkpoint-series`, `GET`/`DELETE /api/checkpoint-series/{id}` and `/html`: the job's report
/// against `CheckpointSeriesBuilder` run directly (the numbers `glassbox checkpoints --json` writes), progress,
/// cancellation, the standalone page, a series whose shapes differ, bad requests naming their field, and the 307
/// behind a proxy routing by id.
@Suite("HTTP API: checkpoint series jobs")
struct CheckpointSeriesAPITests {
    static let root = Fixtures.root.appendingPathComponent("checkpoints/tiny-train", isDirectory: true)
    static let names = ["step-0000", "step-0100", "step-0400"]
    static let prompts = [
        "The red boat, the green boat and the blue boat. The red boat, the green boat and the blue boat.",
        "The keeper lit the lamp early."
    ]

    /// The `"checkpoint_series"` key: the tiny training run (three of its checkpoints, the first as a configured
    /// model) with default prompts, and one without.
    static var series: String {
        let paths = names.dropFirst().map {
            "{\"name\": \"\($0)\", \"path\": \"\(root.appendingPathComponent($0).path)\"}"
        }
        let checkpoints = (["\"step-0000\""] + paths).joined(separator: ", ")
        let prompts = Self.prompts.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            "checkpoint_series": {"tiny-train": {"description": "the tiny run", "checkpoints": [\(checkpoints)],
              "prompts": [\(prompts)]},
             "bare": {"checkpoints": ["tiny-gpt2", "step-0000"]}}
            """
    }

    /// step-0000 is also a configured model, for a series that mixes models and paths.
    static var stepModel: String { "\"step-0000\": {\"path\": \"\(root.appendingPathComponent("step-0000").path)\"}" }

    static func fixture(extra: String = "") throws -> ServerFixture {
        try ServerFixture(extra: series + (extra.isEmpty ? "" : ", " + extra), models: stepModel)
    }

    /// Numbers as JSON writes them, without the timing.
    static func comparable(_ report: [String: Any]) -> NSDictionary {
        var report = report
        report["seconds"] = nil
        report["created"] = nil
        report["checkpoints"] = (report["checkpoints"] as? [[String: Any]])?.map { checkpoint in
            var checkpoint = checkpoint
            checkpoint["seconds"] = nil
            return checkpoint as NSDictionary
        }
        return report as NSDictionary
    }

    @Test("the configured series are listed with their checkpoints in order and their prompts")
    func list() throws {
        let server = try Self.fixture()
        let listed = try json(try server.call("GET", "/api/checkpoint-series"))
        let series = try #require(listed["series"] as? [[String: Any]])
        #expect(series.map { $0["name"] as? String } == ["tiny-train", "bare"])
        #expect(series[0]["checkpoints"] as? [String] == Self.names)
        #expect(
            series[0]["prompts"] as? [String] == Self.prompts && series[0]["description"] as? String == "the tiny run")
        #expect(series[1]["prompts"] as? [String] == [] && series[1]["description"] is NSNull)
        let none = try ServerFixture()
        #expect((try json(try none.call("GET", "/api/checkpoint-series"))["series"] as? [Any])?.isEmpty == true)
    }

    @Test("a job's report is CheckpointSeriesBuilder's; its progress counts every pass; the page is standalone")
    func report() throws {
        let server = try Self.fixture()
        let created = try server.call("POST", "/api/checkpoint-series", body: "{\"series\": \"tiny-train\"}")
        #expect(created.status == 202, "\(String(decoding: created.body, as: UTF8.self))")
        let job = try json(created)
        let id = try #require(job["id"] as? String)
        #expect(id.hasPrefix("c") && id.count == 81 && job["series"] as? String == "tiny-train")
        #expect(job["checkpoints"] as? [String] == Self.names && job["prompts"] as? Int == 2)
        let finished = try server.waitForJob("/api/checkpoint-series/\(id)")
        #expect(finished["status"] as? String == "done", "\(finished["error"] ?? "")")
        let progress = try #require(finished["progress"] as? [String: Any])
        let report = try #require(finished["report"] as? [String: Any])

        var options = CheckpointSeriesOptions()
        options.parameters.workers = server.api.service.configuration.threads
        let sources = Self.names.map { name in
            CheckpointSource(name: name) {
                let url = Self.root.appendingPathComponent(name)
                return (try ModelLoader.load(url), try TokenizerLoader.load(url))
            }
        }
        let direct = try CheckpointSeriesBuilder(options: options).build(sources, prompts: Self.prompts)
        let expected = try JSONSerialization.jsonObject(with: CheckpointSeriesJSON.data(direct)) as! [String: Any]
        #expect(Self.comparable(report) == Self.comparable(expected))
        #expect((report["options"] as? [String: Any])?["ablation"] as? Bool == true)
        // Every pass counted: per checkpoint and prompt one plain pass and, with ablation, one per head and layer.
        let info = direct.series.checkpoints[0].info
        let passes = 3 * 2 * CheckpointMeasurement.passes(info, parameters: options.parameters)
        #expect(progress["total"] as? Int == passes && progress["done"] as? Int == passes && passes > 6)
        #expect(progress["checkpoint"] as? Int == 2 && progress["checkpoint_name"] as? String == "step-0400")
        #expect((report["checkpoints"] as? [[String: Any]])?.map { $0["name"] as? String } == Self.names)

        let page = try server.call("GET", "/api/checkpoint-series/\(id)/html")
        #expect(page.status == 200 && page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        #expect(String(decoding: page.body, as: UTF8.self).contains("<svg"))
        #expect(finished["html"] as? String == "/api/checkpoint-series/\(id)/html")
    }

    @Test("configured models as checkpoints, own prompts, no ablation; checkpoints of two shapes fail naming both")
    func models() throws {
        let server = try Self.fixture()
        let body = "{\"checkpoints\": [\"step-0000\", \"step-0000\"], \"prompts\": [\"The keeper lit the lamp.\"]}"
        try APITests.expectError(
            try server.call("POST", "/api/checkpoint-series", body: body), status: 400, code: "bad_parameter",
            parameter: "checkpoints")
        let created = try server.call(
            "POST", "/api/checkpoint-series",
            body: "{\"series\": \"tiny-train\", \"prompts\": [\"The keeper lit the lamp.\"], \"ablation\": false}")
        let done = try server.waitForJob("/api/checkpoint-series/\(try json(created)["id"] as! String)")
        let report = try #require(done["report"] as? [String: Any])
        #expect(report["prompts"] as? [String] == ["The keeper lit the lamp."])
        #expect((report["options"] as? [String: Any])?["ablation"] as? Bool == false)
        let passes = try #require((done["progress"] as? [String: Any])?["total"] as? Int)
        #expect(passes == 3)

        let mixed = try json(
            try server.call(
                "POST", "/api/checkpoint-series",
                body: "{\"checkpoints\": [\"tiny-llama\", \"step-0000\"], \"prompts\": [\"The keeper lit the lamp.\"]}")
        )
        let failed = try server.waitForJob("/api/checkpoint-series/\(mixed["id"] as! String)")
        #expect(failed["status"] as? String == "failed" && failed["report"] is NSNull)
        let error = try #require(failed["error"] as? String)
        #expect(error.contains("step-0000") && error.contains("tiny-llama"), "\(error)")
    }

    @Test("a queued job cancelled never runs and has no page; unknown ids are 404")
    func cancel() throws {
        let server = try Self.fixture()
        let release = DispatchSemaphore(value: 0)
        #expect(server.api.reportQueue.submit { release.wait() })
        let job = try json(try server.call("POST", "/api/checkpoint-series", body: "{\"series\": \"tiny-train\"}"))
        let id = try #require(job["id"] as? String)
        #expect(job["status"] as? String == "queued")
        #expect((job["progress"] as? [String: Any])?["total"] as? Int == 0)
        let cancelled = try json(try server.call("DELETE", "/api/checkpoint-series/\(id)"))
        #expect(cancelled["status"] as? String == "cancelled")
        release.signal()
        let after = try server.waitForJob("/api/checkpoint-series/\(id)")
        #expect(after["status"] as? String == "cancelled" && after["report"] is NSNull)
        try APITests.expectError(
            try server.call("GET", "/api/checkpoint-series/\(id)/html"), status: 409, code: "conflict")
        let unknown = "c" + String(repeating: "0", count: 80)
        for (method, path) in [("GET", unknown), ("DELETE", unknown), ("GET", unknown + "/html")] {
            try APITests.expectError(
                try server.call(method, "/api/checkpoint-series/\(path)"), status: 404,
                code: "checkpoint_series_not_found")
        }
    }

    @Test("bad requests are 400s naming the field, before any job starts")
    func errors() throws {
        let server = try ServerFixture(
            limits: "{\"max_report_prompts\": 2}", extra: Self.series, models: Self.stepModel)
        let prompts = "\"prompts\": [\"The keeper lit the lamp.\"]"
        for (body, parameter) in [
            ("{}", "series"),
            ("{\"series\": \"tiny-train\", \"checkpoints\": [\"tiny-gpt2\", \"step-0000\"]}", "series"),
            ("{\"series\": \"nope\"}", "series"),
            ("{\"series\": \"bare\"}", "prompts"),
            ("{\"series\": \"tiny-train\", \"prompts\": []}", "prompts"),
            ("{\"series\": \"tiny-train\", \"prompts\": [\"a\", \"b\", \"c\"]}", "prompts"),
            ("{\"series\": \"tiny-train\", \"prompts\": [\"\"]}", "prompts"),
            ("{\"series\": \"tiny-train\", \"prompts\": [1]}", "prompts"),
            ("{\"checkpoints\": [\"step-0000\"], \(prompts)}", "checkpoints"),
            ("{\"checkpoints\": [\"step-0000\", \"nope\"], \(prompts)}", "checkpoints"),
            ("{\"checkpoints\": [\"step-0000\", \"tiny-gpt2\"]}", "prompts"),
            ("{\"series\": \"tiny-train\", \"ablation\": \"yes\"}", "ablation"),
            ("{\"series\": \"tiny-train\", \"path\": \"/etc\"}", "path")
        ] {
            try APITests.expectError(
                try server.call("POST", "/api/checkpoint-series", body: body), status: 400, code: "bad_parameter",
                parameter: parameter)
        }
        let message = try json(try server.call("POST", "/api/checkpoint-series", body: "{\"series\": \"nope\"}"))
        #expect("\(message)".contains("tiny-train, bare"))
    }

    @Test("behind a proxy routing by id: a 307 to /api/checkpoint-series/c<80 hex>, where the job is made, once")
    func routed() throws {
        let routed = try Self.fixture(extra: "\"server\": {\"route_by_id\": true}")
        let body = "{\"series\": \"tiny-train\", \"ablation\": false}"
        let redirect = try routed.call("POST", "/api/checkpoint-series", body: body)
        #expect(redirect.status == 307)
        let location = try #require(redirect.headers["Location"])
        let prefix = "/api/checkpoint-series/"
        #expect(location.hasPrefix(prefix + "c") && location.count == prefix.count + 81)
        let id = String(location.dropFirst(prefix.count))
        let created = try routed.call("POST", location, body: body)
        #expect(try created.status == 202 && json(created)["id"] as? String == id)
        #expect(try routed.waitForJob(location)["status"] as? String == "done")
        #expect(try routed.call("POST", location, body: body).status == 409)
        #expect(try routed.call("POST", prefix + "c123", body: body).status == 400)
    }
}
