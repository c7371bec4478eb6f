import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// `POST /api/runs` with `token_ids` (and `generated_from`): the tokens run as they are, the same trace as the
/// prompt they come from, another run id when generation marks them, and bad ids refused.
@Suite("HTTP API: runs from token ids")
struct TokenIDRunTests {
    @Test("token ids run as the prompt they tokenize from; generated_from is kept and makes another run")
    func tokenIDs() throws {
        let server = try ServerFixture()
        let id = try server.run("The quick brown fox", model: "tiny-llama")
        let summary = try json(try server.call("GET", "/api/runs/\(id)"))
        let ids = try #require((summary["tokens"] as? [[String: Any]])?.compactMap { $0["id"] as? Int })
        let list = ids.map(String.init).joined(separator: ", ")
        let same = try server.call("POST", "/api/runs", body: "{\"model\": \"tiny-llama\", \"token_ids\": [\(list)]}")
        #expect(same.status == 200)
        #expect(try json(same)["id"] as? String == id, "no generated_from: the same run as the prompt")
        let marked = try json(
            try server.call(
                "POST", "/api/runs",
                body: "{\"model\": \"tiny-llama\", \"token_ids\": [\(list)], \"generated_from\": 2}"))
        let markedID = try #require(marked["id"] as? String)
        #expect(markedID != id && marked["generated_from"] as? Int == 2)
        // The prompt of a run from ids is their decoded text, special tokens included.
        #expect(marked["prompt"] as? String == "<|begin_of_text|>The quick brown fox")
        let a = try server.call("GET", "/api/runs/\(id)/lens?layer=1&k=3").body
        let b = try server.call("GET", "/api/runs/\(markedID)/lens?layer=1&k=3").body
        #expect(a == b, "the same tokens, the same numbers")
    }

    @Test("bad token ids are 400 (or 413) naming the field")
    func errors() throws {
        let server = try ServerFixture(limits: "{\"max_prompt_tokens\": 8}")
        for (body, status, parameter) in [
            ("{\"token_ids\": []}", 400, "token_ids"), ("{\"token_ids\": [1, \"x\"]}", 400, "token_ids[1]"),
            ("{\"token_ids\": [1, 99999]}", 400, "token_ids[1]"), ("{\"token_ids\": [1, -2]}", 400, "token_ids[1]"),
            ("{\"token_ids\": [1, 2], \"prompt\": \"a\"}", 400, "token_ids"),
            ("{\"token_ids\": [1, 2], \"generated_from\": 2}", 400, "generated_from"),
            ("{\"prompt\": \"a\", \"generated_from\": 1}", 400, "generated_from"),
            ("{\"token_ids\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}", 413, nil)
        ] as [(String, Int, String?)] {
            let answer = try server.call("POST", "/api/runs", body: body)
            #expect(answer.status == status, "\(body): \(String(decoding: answer.body, as: UTF8.self))")
            if let parameter {
                let details = (try json(answer)["error"] as? [String: Any])?["details"] as? [String: String]
                #expect(details?["parameter"] == parameter, "\(body)")
            }
        }
    }
}
