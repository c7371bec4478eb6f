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
