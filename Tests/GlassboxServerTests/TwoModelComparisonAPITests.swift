import Analysis
import Foundation
import GlassboxServer
import HTTP
import Reports
import Testing
import TestSupport

/// `POST /api/compare` with `models` (two models on one text) and `GET /api/graph-diff`: the answers against
/// `TwoModelComparison` and `GraphDiff` run directly, and bad requests naming their field.
@Suite("HTTP API: model comparison and graph diff")
struct TwoModelComparisonAPITests {
    @Test("two models on one text: the JSON is TwoModelComparisonJSON of the comparison run directly")
    func models() throws {
        let server = try ServerFixture()
        let text = "The cat sat on the mat"
        let response = try server.call(
            "POST", "/api/compare", body: "{\"models\": [\"tiny-gpt2\", \"tiny-llama\"], \"prompt\": \"\(text)\"}")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        var answer = try json(response)
        let registry = server.api.service.registry
        let inputs = try ["tiny-gpt2", "tiny-llama"].map { name in
            let loaded = try registry.model(name)
            return TwoModelComparison.Input(name: name, model: loaded.model, tokenizer: loaded.tokenizer)
        }
        let direct = try TwoModelComparison.compare(
            text: text, a: inputs[0], b: inputs[1], workers: server.api.service.configuration.threads)
        var expected = try JSONSerialization.jsonObject(with: TwoModelComparisonJSON.data(direct)) as! [String: Any]
        // Timings differ from run to run.
        for key in ["models"] {
            answer[key] = (answer[key] as! [[String: Any]]).map {
                var s = $0
                s["milliseconds"] = nil
                return s
            }
            expected[key] = (expected[key] as! [[String: Any]]).map {
                var s = $0
                s["milliseconds"] = nil
                return s
            }
        }
        #expect(answer as NSDictionary == expected as NSDictionary)
        let distribution = try #require(answer["distribution"] as? [String: Any])
        let outside = try #require(distribution["mass_outside_shared"] as? [Double])
        let shared = try #require(distribution["shared_mass"] as? [Double])
        #expect(zip(outside, shared).allSatisfy { abs($0 + $1 - 1) < 1e-9 })
    }

    @Test("bad model-comparison bodies are 400s naming the field")
    func badBodies() throws {
        let server = try ServerFixture()
        let cases: [(String, String)] = [
            ("{\"models\": [\"tiny-gpt2\"], \"prompt\": \"x\"}", "models"),
            ("{\"models\": [\"tiny-gpt2\", \"nope\"], \"prompt\": \"x\"}", "models"),
            ("{\"models\": [\"tiny-gpt2\", \"tiny-llama\"]}", "prompt"),
            (
                "{\"models\": [\"tiny-gpt2\", \"tiny-llama\"], \"prompt\": \"x\", \"prompts\": [\"a\", \"b\"]}",
                "prompts"
            ),
            ("{\"models\": [\"tiny-gpt2\", \"tiny-llama\"], \"prompt\": \"x\", \"top_k\": 0}", "top_k"),
            ("{\"prompt\": \"x\", \"prompts\": [\"a\", \"b\"]}", "prompt")
        ]
        for (body, field) in cases {
            let response = try server.call("POST", "/api/compare", body: body)
            #expect(response.status == 400, "\(body): \(response.status)")
            let error = try json(response)["error"] as? [String: Any]
            #expect((error?["details"] as? [String: String])?["parameter"] == field, "\(body): \(error ?? [:])")
        }
    }

    @Test("the graph diff of two runs is GraphDiff of their graphs; other node sets and ids are refused")
    func graphDiff() throws {
        let server = try ServerFixture()
        let a = try server.run("The doctor said that she", model: "tiny-gpt2")
        let b = try server.run("The nurse said that she", model: "tiny-gpt2")
        let response = try server.call("GET", "/api/graph-diff?a=\(a)&b=\(b)&threshold=0.05&top=5")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let answer = try json(response)
        let loaded = try server.api.service.registry.model("tiny-gpt2")
        let options = try GraphOptions(threshold: 0.05)
        func graph(_ text: String) throws -> ContributionGraph {
            let trace = try loaded.model.forward(tokens: try loaded.tokenizer.encode(text))
            return ContributionGraph(
                contributions: try ModelContributions.compute(model: loaded.model, trace: trace), options: options)
        }
        let direct = try GraphDiff(a: graph("The doctor said that she"), b: graph("The nurse said that she"))
        let edges = try #require(answer["edges"] as? [[String: Any]])
        #expect(edges.count == direct.edges.count)
        #expect(
            zip(edges, direct.edges).allSatisfy { e, d in
                e["source"] as? String == "\(d.source)" && e["target"] as? String == "\(d.target)"
                    && e["change"] as? String == d.change.rawValue
                    && abs((e["difference"] as? Double ?? .nan) - d.difference) < 1e-7
            })
        #expect(answer["largest"] as? [Int] == direct.largestDifferences(5))
        let counts = try #require(answer["counts"] as? [String: Int])
        #expect(counts["appears"] == direct.count(.appears) && counts["vanishes"] == direct.count(.vanishes))

        let short = try server.run("The cat", model: "tiny-gpt2")
        let mismatch = try server.call("GET", "/api/graph-diff?a=\(a)&b=\(short)")
        #expect(mismatch.status == 400)
        let details = (try json(mismatch)["error"] as? [String: Any])?["details"] as? [String: String]
        #expect(details?["parameter"] == "b")
        #expect(try server.call("GET", "/api/graph-diff?a=\(a)").status == 400)
        #expect(try server.call("GET", "/api/graph-diff?a=\(a)&b=\(String(repeating: "0", count: 64))").status == 404)
        #expect(try server.call("GET", "/api/graph-diff?a=\(a)&b=\(b)&threshold=2").status == 400)
    }
}
