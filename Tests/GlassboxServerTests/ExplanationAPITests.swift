import Analysis
import Foundation
import GlassboxServer
import HTTP
import Reports
import Testing
import TestSupport
import Transformer

/// `POST /api/explanations`, `GET`/`DELETE /api/explanations/{id}` and `/html`: the job's explanation against
/// `ExplanationBuilder` run directly (the numbers `glassbox explain --json` prints), progress, cancellation, the
/// standalone page, bad requests naming their field, and the 307 behind a proxy routing by id.
@Suite("HTTP API: explanation jobs")
struct ExplanationAPITests {
    static let prompt = "The quick brown cat jumps"
    static let body =
        "{\"model\": \"tiny-llama\", \"prompt\": \"\(prompt)\", \"methods\": [\"ig\", \"occlusion\", \"saliency\"], "
        + "\"steps\": 8, \"noise_samples\": 1, \"variant\": \"The quick brown dog jumps\"}"

    /// Numbers as JSON writes them, without the timing.
    static func comparable(_ object: [String: Any]) -> NSDictionary {
        var object = object
        object["seconds"] = nil
        return object as NSDictionary
    }

    @Test("a job's explanation is ExplanationBuilder's; its progress counts every pass; the page is standalone")
    func explanation() throws {
        let server = try ServerFixture()
        let created = try server.call("POST", "/api/explanations", body: Self.body)
        #expect(created.status == 202, "\(String(decoding: created.body, as: UTF8.self))")
        let job = try json(created)
        let id = try #require(job["id"] as? String)
        #expect(id.hasPrefix("e") && id.count == 81 && job["model"] as? String == "tiny-llama")
        let finished = try server.waitForJob("/api/explanations/\(id)")
        #expect(finished["status"] as? String == "done", "\(finished["error"] ?? "")")
        let progress = try #require(finished["progress"] as? [String: Any])
        #expect(progress["done"] as? Int == progress["total"] as? Int && (progress["total"] as? Int ?? 0) > 20)
        let explanation = try #require(finished["explanation"] as? [String: Any])

        let loaded = try server.api.service.registry.model("tiny-llama")
        let parameters = EvaluationParameters(
            methods: [.ig, .occlusion, .saliency], steps: 8, noiseSamples: 1)
        let report = try ExplanationBuilder(modelName: "tiny-llama", model: loaded.model, tokenizer: loaded.tokenizer)
            .build(
                ExplanationRequest(prompt: Self.prompt, parameters: parameters, variant: "The quick brown dog jumps"),
                workers: server.api.service.configuration.threads)
        let direct = try JSONSerialization.jsonObject(with: ExplanationJSON.data(report)) as! [String: Any]
        #expect(Self.comparable(explanation) == Self.comparable(direct))
        let methods = try #require(explanation["methods"] as? [String: Any])
        #expect(Set(methods.keys) == ["ig", "occlusion", "saliency"])
        let ig = try #require(methods["ig"] as? [String: Any])
        #expect((ig["deletion_curve"] as? [Double])?.count == report.ids.count + 1)
        #expect((explanation["stability"] as? [String: Any])?["variant"] as? String == "The quick brown dog jumps")

        let page = try server.call("GET", "/api/explanations/\(id)/html")
        #expect(page.status == 200 && page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        #expect(String(decoding: page.body, as: UTF8.self).contains("<svg"))
        #expect(finished["html"] as? String == "/api/explanations/\(id)/html")
    }

    @Test("a queued job cancelled never runs and has no page; unknown ids are 404")
    func cancel() throws {
        let server = try ServerFixture()
        // Hold the report queue so the evaluation waits there.
        let release = DispatchSemaphore(value: 0)
        #expect(server.api.reportQueue.submit { release.wait() })
        let job = try json(try server.call("POST", "/api/explanations", body: Self.body))
        let id = try #require(job["id"] as? String)
        #expect(job["status"] as? String == "queued")
        let cancelled = try json(try server.call("DELETE", "/api/explanations/\(id)"))
        #expect(cancelled["status"] as? String == "cancelled")
        release.signal()
        let after = try server.waitForJob("/api/explanations/\(id)")
        #expect(after["status"] as? String == "cancelled" && after["explanation"] is NSNull)
        try APITests.expectError(
            try server.call("GET", "/api/explanations/\(id)/html"), status: 409, code: "conflict")
        let unknown = "e" + String(repeating: "0", count: 80)
        for (method, path) in [("GET", unknown), ("DELETE", unknown), ("GET", unknown + "/html")] {
            try APITests.expectError(
                try server.call(method, "/api/explanations/\(path)"), status: 404, code: "explanation_not_found")
        }
    }

    @Test("bad requests are 400s naming the field, before any job starts")
    func errors() throws {
        let server = try ServerFixture(limits: "{\"max_explanation_tokens\": 20}")
        let prompt = "\"prompt\": \"\(Self.prompt)\", \"model\": \"tiny-llama\""
        for (body, parameter) in [
            ("{\(prompt), \"methods\": [\"lime\"]}", "methods"),
            ("{\(prompt), \"methods\": []}", "methods"),
            ("{\(prompt), \"methods\": [\"ig\", \"ig\"]}", "methods"),
            ("{\(prompt), \"variant\": \"A much longer variant of the prompt than it\"}", "variant"),
            ("{\(prompt), \"sigma\": 0}", "sigma"),
            ("{\(prompt), \"sigma\": -1}", "sigma"),
            ("{\(prompt), \"steps\": 0}", "steps"),
            ("{\(prompt), \"noise_samples\": 65}", "noise_samples"),
            ("{\(prompt), \"baseline\": \"middle\"}", "baseline"),
            ("{\(prompt), \"baseline\": 1000000}", "baseline"),
            ("{\(prompt), \"target\": 1000000}", "target"),
            ("{\(prompt), \"contrast\": \"top\"}", "contrast"),
            ("{\(prompt), \"objective\": \"prob\"}", "objective"),
            ("{\(prompt), \"position\": 40}", "position"),
            ("{\(prompt), \"top_k\": 99}", "top_k"),
            ("{\(prompt), \"compare_model\": \"nope\"}", "compare_model"),
            ("{\(prompt), \"colour\": 1}", "colour"),
            ("{\"model\": \"tiny-llama\"}", "prompt"),
            ("{\"model\": \"tiny-llama\", \"prompt\": \"one two three four five six seven eight nine ten\"}", "prompt")
        ] {
            try APITests.expectError(
                try server.call("POST", "/api/explanations", body: body), status: 400, code: "bad_parameter",
                parameter: parameter)
        }
    }

    @Test("behind a proxy routing by id: a 307 to /api/explanations/e<80 hex>, where the job is made, once")
    func routed() throws {
        let routed = try ServerFixture(extra: "\"server\": {\"route_by_id\": true}")
        let redirect = try routed.call("POST", "/api/explanations", body: Self.body)
        #expect(redirect.status == 307)
        let location = try #require(redirect.headers["Location"])
        #expect(location.hasPrefix("/api/explanations/e") && location.count == "/api/explanations/".count + 81)
        let id = String(location.dropFirst("/api/explanations/".count))
        let created = try routed.call("POST", location, body: Self.body)
        #expect(try created.status == 202 && json(created)["id"] as? String == id)
        #expect(try routed.waitForJob(location)["status"] as? String == "done")
        #expect(try routed.call("POST", location, body: Self.body).status == 409)
        #expect(try routed.call("POST", "/api/explanations/e123", body: Self.body).status == 400)
    }
}
