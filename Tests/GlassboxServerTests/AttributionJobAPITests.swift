import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// `POST /api/runs/{id}/attributions/jobs`, `GET`/`DELETE /api/attribution-jobs/{id}`: progress, the cached result,
/// cancellation; and the `pad`/`unk` baselines.
@Suite("HTTP API: attribution jobs and baselines")
struct AttributionJobAPITests {
    static let prompt = AttributionAPITests.prompt

    @Test("a job counts its passes, ends with the GET body, and a repeat is done at once from the cache")
    func progressAndResult() throws {
        let server = try ServerFixture()
        let id = try server.run(Self.prompt, model: "tiny-gpt2")
        let query = "method=ig&steps=48&baseline=unk"
        let created = try server.call("POST", "/api/runs/\(id)/attributions/jobs?\(query)")
        #expect(created.status == 202)
        let job = try json(created)
        let jobID = try #require(job["id"] as? String)
        #expect(jobID.hasPrefix("a") && job["run"] as? String == id && job["method"] as? String == "ig")
        let finished = try server.waitForJob("/api/attribution-jobs/\(jobID)")
        #expect(finished["status"] as? String == "done")
        let progress = try #require(finished["progress"] as? [String: Int])
        #expect(progress["done"] == 50 && progress["total"] == 50, "m + 2 passes: \(progress)")
        let plain = try server.call("GET", "/api/runs/\(id)/attributions?\(query)")
        let result = try JSONSerialization.data(withJSONObject: try #require(finished["result"]))
        let reparsed = try JSONSerialization.jsonObject(with: plain.body) as! NSDictionary
        #expect(reparsed == (try JSONSerialization.jsonObject(with: result) as! NSDictionary))
        #expect((reparsed["baseline"] as? String)?.hasPrefix("token:") == true)

        let again = try json(
            try server.call("POST", "/api/runs/\(id)/attributions/jobs?steps=48&baseline=unk&method=ig"))
        #expect(again["status"] as? String == "done" && again["result"] is [String: Any])
    }

    @Test("a queued job cancelled never runs; unknown jobs are 404; bad queries are the GET's 400s")
    func cancelAndErrors() throws {
        let server = try ServerFixture(limits: "{\"max_concurrent_runs\": 1, \"max_queued_runs\": 8}")
        let id = try server.run(Self.prompt, model: "tiny-gpt2")
        // Hold the one compute slot so the job stays queued.
        let release = DispatchSemaphore(value: 0)
        #expect(server.api.service.compute.submit { release.wait() })
        let job = try json(try server.call("POST", "/api/runs/\(id)/attributions/jobs?method=occlusion"))
        let jobID = try #require(job["id"] as? String)
        #expect(job["status"] as? String == "queued")
        let cancelled = try json(try server.call("DELETE", "/api/attribution-jobs/\(jobID)"))
        #expect(cancelled["status"] as? String == "cancelled")
        release.signal()
        let after = try server.waitForJob("/api/attribution-jobs/\(jobID)")
        #expect(after["status"] as? String == "cancelled" && after["result"] is NSNull)

        for method in ["GET", "DELETE"] {
            try APITests.expectError(
                try server.call(method, "/api/attribution-jobs/a0000000000000000"), status: 404,
                code: "attribution_job_not_found")
        }
        _ = try APITests.expectError(
            try server.call("POST", "/api/runs/\(id)/attributions/jobs?method=ig&steps=0"), status: 400,
            code: "bad_parameter", parameter: "steps")
        try APITests.expectError(
            try server.call("POST", "/api/runs/\(String(repeating: "0", count: 64))/attributions/jobs?method=ig"),
            status: 404, code: "run_not_found")
    }

    @Test("the unk baseline is the tokenizer's unknown token; pad is a 400 when the tokenizer names none")
    func namedBaselines() throws {
        let server = try ServerFixture()
        // tiny-gpt2's tokenizer_config names <|endoftext|> as unk_token and no pad_token.
        let id = try server.run(Self.prompt, model: "tiny-gpt2")
        let tokenizer = try server.api.service.registry.model("tiny-gpt2").tokenizer
        let unk = try #require(tokenizer.unkTokenID)
        #expect(tokenizer.displayString(for: unk) == "<|endoftext|>" && tokenizer.padTokenID == nil)
        let named = try json(try server.call("GET", "/api/runs/\(id)/attributions?method=occlusion&baseline=unk"))
        let byID = try json(try server.call("GET", "/api/runs/\(id)/attributions?method=occlusion&baseline=\(unk)"))
        #expect(named["baseline"] as? String == "token:\(unk)")
        let scores = try #require(named["scores"] as? [Double])
        #expect(scores == byID["scores"] as? [Double] && scores.count > 5)
        let error = try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/attributions?method=ig&baseline=pad"), status: 400,
            code: "bad_parameter", parameter: "baseline")
        #expect((error["message"] as? String)?.contains("no pad token") == true, "\(error)")
    }
}
