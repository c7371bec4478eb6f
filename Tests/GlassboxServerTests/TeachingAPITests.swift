import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// `GET /api/runs/{id}/walk` and `GET /api/runs/{id}/logits`: the Teaching view's numbers over HTTP.
@Suite("HTTP API: the Teaching view")
struct TeachingAPITests {
    @Test("the walk's shape, the logits as JSON and float32 alike, the lens of the last layer at the end")
    func walkAndLogits() throws {
        let server = try ServerFixture()
        let id = try server.run("The quick brown fox jumps", model: "tiny-gemma3")
        let summary = try json(try server.call("GET", "/api/runs/\(id)"))
        let n = (summary["tokens"] as? [Any])?.count ?? 0
        let walk = try json(try server.call("GET", "/api/runs/\(id)/walk?token=2&k=3&neurons=2"))
        #expect(walk["token"] as? Int == 2)
        let layers = try #require(walk["layers"] as? [[String: Any]])
        let model = try #require(summary["model"] as? [String: Any])
        #expect(layers.count == model["layers"] as? Int)
        for layer in layers {
            let attention = try #require(layer["attention"] as? [[Double]])
            #expect(attention.count == model["heads"] as? Int && attention.allSatisfy { $0.count == 3 })
            #expect((layer["lens"] as? [Any])?.count == 3 && (layer["neurons"] as? [Any])?.count == 2)
        }
        let output = try #require(walk["output"] as? [[String: Any]])
        #expect(output.count == 20)

        let logits = try json(try server.call("GET", "/api/runs/\(id)/logits?token=2"))
        let values = try #require(logits["logits"] as? [Double])
        #expect(values.count == logits["vocab_size"] as? Int)
        let binary = try server.call("GET", "/api/runs/\(id)/logits?token=2&format=f32")
        #expect(binary.headers["Content-Type"] == "application/octet-stream")
        let floats = binary.body.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats.count == values.count && zip(floats, values).allSatisfy { $0 == Float($1) })
        let best = values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }
        #expect(output.first?["id"] as? Int == best, "the walk's output is the logits' argmax")
        #expect(n > 2)
    }

    @Test("bad parameters are 400 naming them")
    func errors() throws {
        let server = try ServerFixture()
        let id = try server.run("Hello there", model: "tiny-gpt2")
        for (query, parameter) in [
            ("walk?token=99", "token"), ("walk?k=0", "k"), ("walk?neurons=51", "neurons"), ("walk?layer=1", "layer"),
            ("logits?format=csv", "format"), ("logits?token=-99", "token")
        ] {
            let answer = try server.call("GET", "/api/runs/\(id)/\(query)")
            #expect(answer.status == 400, "\(query)")
            let details = (try json(answer)["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details?["parameter"] == parameter, "\(query)")
        }
    }
}
