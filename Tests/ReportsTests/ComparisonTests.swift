import Analysis
import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

@Suite("Prompt comparisons")
struct ComparisonTests {
    static func load(_ name: String) throws -> (DecoderModel, any Tokenizer) {
        let url = Fixtures.model(name)
        return (try ModelLoader.load(url), try TokenizerLoader.load(url))
    }

    @Test("a pair: target log-probabilities, metric values and aligned attention from each prompt's own pass")
    func pair() throws {
        let (model, tokenizer) = try Self.load("tiny-gpt2")
        let c = try PromptComparison.compare(
            kind: .pair, prompts: ["The [[doctor]] said that", "The [[nurse]] said that"],
            targets: [" he", " she"], model: model, tokenizer: tokenizer)
        #expect(c.alignment == "spans" && c.groups.count == 1 && c.groups[0].label == "doctor")
        for side in c.sides {
            let trace = try model.forward(tokens: side.tokens)
            let logp = AblationEffects.logSoftmax(Array(trace.logits(at: side.tokens.count - 1)!))
            #expect(side.targetLogProbabilities == c.targets.map { logp[$0.id] })
            #expect(try HeadMetrics.all(trace: trace) == side.metrics)
            let n = side.tokens.count, a = trace.attention(layer: 1, head: 2)
            let expected = side.spans[0].reduce(0.0) { $0 + Double(a[a.startIndex + (n - 1) * n + $1]) }
            #expect(abs(side.alignedAttention[1][2][0] - expected) < 1e-12)
            #expect(
                tokenizer.decode(side.spans[0].map { side.tokens[$0] }).contains(
                    side.text.contains("doctor") ? "doctor" : "nurse"))
        }
        let json =
            try JSONSerialization.jsonObject(
                with: ComparisonJSON.data(
                    c, model: "tiny-gpt2", metrics: ["entropy"], display: tokenizer.displayString(for:)))
            as! [String: Any]
        let heads = json["heads"] as! [[String: Any]]
        let first = heads[0], values = (first["values"] as! [String: [Double]])["entropy"]!
        // (JSONSerialization may differ from the written value in the last bit.)
        #expect(abs((first["difference"] as! [String: Double])["entropy"]! - (values[1] - values[0])) < 1e-12)
        let ratio = ((json["target_differences"] as! [[String: Any]])[0]["log_ratio"] as! [Double])
        #expect(
            zip(ratio, c.sides).allSatisfy {
                abs($0 - ($1.targetLogProbabilities[0] - $1.targetLogProbabilities[1])) < 1e-12
            })
    }

    @Test("a set without marks aligns identical tokens and reports variances")
    func set() throws {
        let (model, tokenizer) = try Self.load("tiny-llama")
        let c = try PromptComparison.compare(
            kind: .set, prompts: ["the cat sat", "the dog sat", "a cat sat"],
            targets: [" on"], model: model, tokenizer: tokenizer)
        #expect(c.alignment == "tokens")
        for g in c.groups {
            let ids = zip(c.sides, g.positions).map { $0.tokens[$1[0]] }
            #expect(Set(ids).count == 1, "\(g.label)")
        }
        #expect(PromptComparison.variance([1, 2, 3]) == 2.0 / 3)
    }

    @Test(
        "bad comparisons are errors",
        arguments: [
            (["only one"], PromptComparison.Kind.set),
            (["a", "b", "c"], .pair),
            (["The [[doctor]] said", "The nurse said"], .pair),
            (["", "b"], .pair)
        ])
    func bad(prompts: [String], kind: PromptComparison.Kind) throws {
        let (model, tokenizer) = try Self.load("tiny-gpt2")
        #expect(throws: ReportError.self) {
            try PromptComparison.compare(kind: kind, prompts: prompts, targets: [], model: model, tokenizer: tokenizer)
        }
    }
}
