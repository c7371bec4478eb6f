import Foundation
import Testing
import TestSupport

/// `glassbox attribute` on a fixture model: the JSON's shape and values, and its refusals.
@Suite("glassbox attribute")
struct AttributeCommandTests {
    static let model = Fixtures.model("tiny-llama").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLIProcess.run(["attribute", "--model", model, "--prompt", "The quick brown fox"] + arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("--json: one score per token; IG's completeness gap is Σ scores − (f − f_baseline)")
    func integratedGradients() throws {
        let body = try Self.json(["--method", "ig", "--steps", "16", "--baseline", "3", "--json"])
        let tokens = try #require(body["tokens"] as? [[String: Any]])
        let scores = try #require(body["scores"] as? [Double])
        #expect(scores.count == tokens.count && tokens.allSatisfy { $0["id"] is Int && $0["text"] is String })
        let target = try #require(body["target"] as? [String: Any])
        let f = try #require(target["f"] as? Double), fBaseline = try #require(target["f_baseline"] as? Double)
        let gap = try #require(body["completeness_gap"] as? Double)
        #expect(abs(gap - (scores.reduce(0, +) - (f - fBaseline))) <= 1e-9 * max(1, abs(f)))
        #expect(target["position"] as? Int == tokens.count - 1 && body["method"] as? String == "ig")
        #expect(body["steps"] as? Int == 16 && body["baseline"] as? String == "token:3")
    }

    @Test("gradient flow prints pre, mid and post per layer; the table names the target")
    func gradientFlow() throws {
        let body = try Self.json(["--method", "gradient-flow", "--objective", "logprob", "--json"])
        let flow = try #require(body["flow"] as? [String: [[Double]]])
        #expect(flow.keys.sorted() == ["mid", "post", "pre"] && flow["pre"]!.count == 2)
        let scores = try #require(body["scores"] as? [Double])
        #expect(zip(flow["pre"]![0], scores).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        let table = try CLIProcess.run([
            "attribute", "--model", Self.model, "--prompt", "The quick brown fox", "--method", "saliency",
            "--contrast", "5"
        ])
        #expect(table.status == 0 && table.stdout.hasPrefix("saliency of z("), "\(table.stdout)")
        #expect(table.stdout.split(separator: "\n").count == 1 + scores.count)
    }

    @Test("bad options: one error line and a non-zero exit")
    func badOptions() throws {
        for (arguments, fragment) in [
            (["--method", "lime"], "--method must be one of saliency"), (["--method", "ig", "--steps", "0"], "--steps"),
            (["--method", "ig", "--steps", "1025"], "--steps"),
            (["--method", "saliency", "--target", "99999"], "99999"),
            (["--method", "saliency", "--target", "5", "--contrast", "5"], "the contrast token is the target"),
            (["--method", "saliency", "--position", "40"], "--position 40 is outside"),
            (["--method", "ig", "--baseline", "pad row"], "--baseline must be zero, pad, unk or a token id"),
            // tiny-llama's tokenizer names no pad token.
            (["--method", "ig", "--baseline", "pad"], "--baseline: the model's tokenizer names no pad token"),
            (["--method", "saliency", "--objective", "prob"], "--objective must be logit or logprob")
        ] {
            let result = try CLIProcess.run(
                ["attribute", "--model", Self.model, "--prompt", "The quick brown fox"] + arguments)
            #expect(result.status != 0, "expected a non-zero exit for \(arguments)")
            #expect(result.stderr.contains(fragment), "\(arguments): stderr was: \(result.stderr)")
        }
    }
}
