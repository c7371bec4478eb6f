import Foundation
import Testing
import TestSupport
import Tokenizers
import Transformer

/// Greedy continuations against transformers' `generate(do_sample=False)` (`tools/references/make_generation_goldens.py`):
/// the generated ids must be identical, token for token, including where an end-of-sequence id ends them.
@Suite("Greedy generation equals transformers' generate(do_sample=False), token for token")
struct GenerationGoldenTests {
    struct Golden: Decodable {
        struct Prompt: Decodable {
            let prompt_ids: [Int]
            let generated: [Int]
            let top2_margins: [Double]
        }
        let eos_token_ids: [Int]
        let new_tokens: Int
        let prompts: [Prompt]
    }

    static func golden(_ model: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Fixtures.golden("generation-\(model).json")))
    }

    static func expectGolden(_ name: String, model: DecoderModel, url: URL, workers: Int) throws {
        let golden = try golden(name)
        let generator = TextGenerator(model: model, tokenizer: try TokenizerLoader.load(url))
        let eos = try EndOfSequence.ids(modelAt: url, tokenizer: generator.tokenizer)
        #expect(eos == golden.eos_token_ids, "end-of-sequence ids of \(name)")
        #expect(golden.prompts.count == 5)
        for prompt in golden.prompts {
            let generation = try generator.generate(
                promptIDs: prompt.prompt_ids,
                options: GenerationOptions(
                    maxNewTokens: golden.new_tokens, sampling: .greedy, endOfSequenceIDs: eos, workers: workers))
            #expect(
                generation.ids == prompt.generated,
                "\(name), \(prompt.prompt_ids.count) prompt tokens (smallest top-2 margin \(prompt.top2_margins.min()!))"
            )
            let ended = prompt.generated.last.map(eos.contains) ?? false
            #expect(generation.stopReason == (ended ? .endOfSequence : .maxNewTokens))
            print(
                "\(name) \(prompt.prompt_ids.count) tokens: \(generation.ids == prompt.generated ? "identical" : "DIFFERENT") \(generation.ids.count) generated"
            )
        }
    }

    @Test("every fixture model", arguments: GoldenForwardTests.models)
    func fixtures(_ name: String) throws {
        let url = Fixtures.model(name)
        try Self.expectGolden(name, model: try ModelLoader.load(directory: url), url: url, workers: 1)
    }

    @Test(
        "the real GGUF models, weights kept quantised (the last Gemma prompt crosses the 512-token window)",
        arguments: [
            ("gemma-3-270m", "gemma-3-270m-q4_k_m.gguf"), ("smollm2-135m", "SmolLM2-135M-Instruct.Q4_1.gguf"),
            ("qwen2.5-coder-0.5b", "qwen2.5-coder-0.5b-instruct.gguf")
        ])
    func realModels(_ spec: (String, String)) throws {
        let url = Fixtures.realModel(spec.1)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install \(spec.0) (scripts/test does)")
        try Self.expectGolden(spec.0, model: try ModelLoader.load(url), url: url, workers: 2)
    }
}
