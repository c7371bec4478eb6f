import Foundation
import GlassboxServer
import HTTP
import Store
import Testing
import TestSupport
import Transformer

/// Errors map to HTTP once, at the boundary: a user's bad value is a 4xx naming it, our failure a 500 `internal`.
@Suite("Error mapping")
struct ErrorMappingTests {
    @Test("a model that cannot be loaded is our failure (500 internal), not a bad prompt")
    func brokenModelIsInternal() throws {
        let directory = try Fixtures.temporaryDirectory()
        let missing = directory.appendingPathComponent("no-such-model").path
        let api = try ServerFixture.api(model: "broken", at: missing, threads: 1, in: directory)
        let response = try ServerFixture.call(api, "POST", "/api/runs", body: "{\"prompt\": \"Hello\"}")
        let error = try APITests.expectError(response, status: 500, code: "internal")
        #expect((error["message"] as? String)?.contains("no-such-model") == true, "error: \(error)")
    }

    @Test("a truncated or unsupported model beside good ones: its runs are errors naming it, the others keep serving")
    func brokenModelsBesideGoodOnes() throws {
        let directory = try Fixtures.temporaryDirectory()
        func copy(_ name: String, as copyName: String) throws -> URL {
            let url = directory.appendingPathComponent(copyName)
            try FileManager.default.copyItem(at: Fixtures.model(name), to: url)
            return url
        }
        let truncated = try copy("tiny-qwen2", as: "truncated")
        let weights = truncated.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count / 2).write(to: weights)
        let unsupported = try copy("tiny-gpt2", as: "unsupported")
        let configURL = unsupported.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["model_type"] = "mamba"
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let text = """
            {"default_model": "good", "threads": 1,
             "cache": {"path": "\(directory.path)/models", "database": "\(directory.path)/runs.sqlite"},
             "models": {"good": {"path": "\(Fixtures.model("tiny-gpt2").path)"},
                        "truncated": {"path": "\(truncated.path)"}, "unsupported": {"path": "\(unsupported.path)"}}}
            """
        let url = directory.appendingPathComponent("glassbox.json")
        try Data(text.utf8).write(to: url)
        let api = try ServerFixture.api(url)
        func run(_ model: String) throws -> HTTPResponse {
            try ServerFixture.call(api, "POST", "/api/runs", body: "{\"prompt\": \"Hello\", \"model\": \"\(model)\"}")
        }
        #expect(try run("good").status == 200)
        let cut = try APITests.expectError(try run("truncated"), status: 500, code: "internal")
        #expect((cut["message"] as? String)?.contains("model.safetensors") == true, "error: \(cut)")
        let other = try APITests.expectError(try run("unsupported"), status: 500, code: "internal")
        #expect((other["message"] as? String)?.contains("mamba") == true, "error: \(other)")
        // Asked again: the same clear error, not a crash or a hang; the good model and the listing still answer.
        #expect(try run("truncated").status == 500)
        #expect(try run("good").status == 200)
        let models = try json(try ServerFixture.call(api, "GET", "/api/models"))["models"] as? [[String: Any]]
        #expect(models?.compactMap { $0["name"] as? String } == ["good", "truncated", "unsupported"])
        #expect(try ServerFixture.call(api, "GET", "/api/health").status == 200)
    }

    @Test("the prompt runner's refusals keep their statuses: too long 413, empty 400 on prompt")
    func promptErrors() throws {
        #expect(ServiceError(PromptError.tooLong(tokens: 9, limit: 4)).status == 413)
        #expect(ServiceError(PromptError.empty) == .badParameter("prompt", "the prompt encodes to no tokens"))
        #expect(ServiceError(PromptError.unencodable("bad bytes")).status == 400)
        #expect(ServiceError(ServiceError.notFound("run", "gone")) == .notFound("run", "gone"))
        struct Disk: Error {}
        #expect(ServiceError(Disk()).code == "internal")
        let server = try ServerFixture(limits: "{\"max_prompt_tokens\": 3}")
        let response = try server.call("POST", "/api/runs", body: "{\"prompt\": \"one two three four five six\"}")
        let error = try APITests.expectError(response, status: 413, code: "too_large")
        #expect((error["message"] as? String)?.contains("more than the limit of 3") == true, "error: \(error)")
    }
}
