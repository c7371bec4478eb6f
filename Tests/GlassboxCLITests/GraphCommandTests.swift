import Foundation
import Testing
import TestSupport

/// `glassbox graph` and `glassbox lens` against the contribution goldens (the same float64 reference the
/// Analysis tests use), through the built binary.
@Suite("glassbox graph and lens")
struct GraphCommandTests {
    struct GraphOutput: Decodable {
        struct Edge: Decodable {
            let source: String
            let target: String
            let weight: Double
            let kind: String
        }
        let tokens: [String]
        let edges: [Edge]
    }

    struct LensOutput: Decodable {
        struct Entry: Decodable {
            let id: Int
            let logit: Double
            let previous_rank: Int?
        }
        struct Row: Decodable {
            let layer: Int
            let point: String
            let node: String
            let top: [Entry]
        }
        let rows: [Row]
    }

    /// The golden graph entry at `renormalize` for the second prompt of `model`, with that prompt's text.
    static func golden(_ model: String, renormalize: Bool) throws -> (
        text: String, graph: [String: Any], lens: [[String: Any]]
    ) {
        let text = try GoldenForward.load(model).prompts[1].text
        let data = try Data(contentsOf: Fixtures.golden("contributions-\(model).json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let c = (root["cases"] as! [[String: Any]])[1]
        let graph = (c["graphs"] as! [[String: Any]]).first { $0["renormalize"] as! Bool == renormalize }!
        return (text, graph, c["lens"] as! [[String: Any]])
    }

    static func keys(_ edges: [[Any]]) -> Set<String> {
        Set(edges.map { "\($0[0] as! String)>\($0[1] as! String):\($0[2] as! String)" })
    }

    static func keys(_ edges: [GraphOutput.Edge]) -> Set<String> {
        Set(edges.map { "\($0.source)>\($0.target):\($0.kind)" })
    }

    @Test(
        "--json: the full graph, the paths to the last token and their union match the reference",
        arguments: ["tiny-gpt2", "tiny-gemma3"], [true, false])
    func graph(model: String, renormalize: Bool) throws {
        let (text, golden, _) = try Self.golden(model, renormalize: renormalize)
        let threshold = "\((golden["threshold"] as! NSNumber).doubleValue)"
        let base = [
            "graph", "--model", Fixtures.model(model).path, "--prompt", text, "--threshold", threshold, "--json",
            renormalize ? "--renormalize" : "--no-renormalize"
        ]
        let paths = golden["paths"] as! [[[Any]]]
        for (target, expected) in [
            (nil, golden["edges"] as! [[Any]]), ("-1", paths[paths.count - 1]),
            ("all", golden["path_union"] as! [[Any]])
        ] as [(String?, [[Any]])] {
            let result = try CLIProcess.run(base + (target.map { ["--target", $0] } ?? []))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let output = try JSONDecoder().decode(GraphOutput.self, from: Data(result.stdout.utf8))
            #expect(output.tokens.count == paths.count)
            #expect(Self.keys(output.edges) == Self.keys(expected), "\(model) target \(target ?? "none")")
        }
    }

    @Test("lens --json: the last token's representations with ranks in the predecessor")
    func lens() throws {
        let (text, _, lens) = try Self.golden("tiny-llama", renormalize: true)
        let result = try CLIProcess.run([
            "lens", "--model", Fixtures.model("tiny-llama").path, "--prompt", text,
            "-k", "5", "--json"
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let output = try JSONDecoder().decode(LensOutput.self, from: Data(result.stdout.utf8))
        #expect(output.rows.map(\.node) == ["X0_20", "A0_20", "I0_20", "A1_20", "I1_20"])
        for row in output.rows {
            let reference = lens.first {
                $0["layer"] as! Int == row.layer && $0["point"] as! String == row.point && $0["token"] as! Int == 20
                    && $0["normalize"] as! Bool
            }!
            let top = reference["top"] as! [[Any]]
            #expect(row.top.map(\.id) == top.map { $0[0] as! Int }, "\(row.node)")
            #expect(row.top.map(\.previous_rank) == top.map { $0[2] as? Int }, "\(row.node)")
            for (entry, expected) in zip(row.top, top) { #expect(abs(entry.logit - (expected[1] as! Double)) < 1e-5) }
        }
    }

    @Test("bad parameters: a clear message and a non-zero exit")
    func badParameters() throws {
        let model = Fixtures.model("tiny-gpt2").path
        for (arguments, fragment) in [
            (
                ["graph", "--model", model, "--prompt", "The cat", "--threshold", "1.5"],
                "--threshold must be from 0 to 1"
            ),
            (["graph", "--model", model, "--prompt", "The cat", "--target", "99"], "--target 99 is outside the prompt"),
            (
                ["graph", "--model", model, "--prompt", "The cat", "--target", "last"],
                "--target must be a token position"
            ),
            (
                ["lens", "--model", model, "--prompt", "The cat", "--layer", "2"],
                "--layer 2 is outside the model's layers"
            ),
            (["lens", "--model", model, "--prompt", "The cat", "--point", "middle"], "--point must be pre, mid or post")
        ] {
            let result = try CLIProcess.run(arguments)
            #expect(result.status != 0, "expected a non-zero exit for \(arguments)")
            #expect(result.stderr.contains(fragment), "stderr was: \(result.stderr)")
        }
    }
}
