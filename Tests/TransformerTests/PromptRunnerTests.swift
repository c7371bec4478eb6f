import Foundation
import Testing
import TestSupport
import Tokenizers
import Transformer

@Suite("Prompt runner")
struct PromptRunnerTests {
    static func runner(maxTokens: Int? = nil) throws -> PromptRunner {
        let url = Fixtures.model("tiny-gpt2")
        return PromptRunner(
            model: try ModelLoader.load(directory: url), tokenizer: try TokenizerLoader.load(url),
            maxTokens: maxTokens)
    }

    @Test("a prompt runs to the same trace and predictions as tokenizing and forwarding by hand")
    func sameAsByHand() throws {
        let runner = try Self.runner()
        let prompt = "The cat sat on the mat"
        let ids = try runner.tokenizer.encode(prompt)
        #expect(try runner.tokenize(prompt) == ids)
        let run = try runner.run(prompt)
        let direct = try runner.model.forward(tokens: ids)
        #expect(run.ids == ids)
        #expect(Array(run.trace.storage) == Array(direct.storage))
        let top = run.predictions(k: 5)
        #expect(top == NextTokenPrediction.top(direct.logits(at: ids.count - 1)!, k: 5))
        #expect(top.count == 5)
        #expect(zip(top, top.dropFirst()).allSatisfy { $0.logit >= $1.logit })
        let logits = Array(direct.logits(at: ids.count - 1)!)
        #expect(top[0].logit == logits.max())
        let total = logits.reduce(0.0) { $0 + exp(Double($1) - Double(logits.max()!)) }
        #expect(abs(top[0].probability - 1 / total) <= 1e-12)
    }

    @Test("the limit is the caller's or the model's context, whichever is smaller; empty prompts are refused")
    func limits() throws {
        let model = try Self.runner().model
        #expect(try Self.runner().tokenLimit == model.info.contextLength)
        #expect(try Self.runner(maxTokens: 3).tokenLimit == 3)
        #expect(try Self.runner(maxTokens: model.info.contextLength + 100).tokenLimit == model.info.contextLength)
        let short = try Self.runner(maxTokens: 3)
        let count = try short.tokenizer.encode("one two three four five").count
        #expect(count > 3)
        #expect(throws: PromptError.tooLong(tokens: count, limit: 3)) { try short.run("one two three four five") }
        #expect(
            PromptError.tooLong(tokens: count, limit: 3).description
                == "the prompt has \(count) tokens, more than the limit of 3 (the server's limit and the model's context)"
        )
        #expect(throws: PromptError.empty) { try short.tokenize("") }
    }
}
