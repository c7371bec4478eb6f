import Foundation
import Testing
import TestSupport
import Tokenizers
import Transformer

/// Sampled generation, the step records, stopping and the request checks.
@Suite("TextGenerator: seeded sampling, step records, stop strings, EOS, cancellation")
struct TextGeneratorTests {
    static func generator(_ name: String = "tiny-llama") throws -> TextGenerator {
        let url = Fixtures.model(name)
        return TextGenerator(model: try ModelLoader.load(directory: url), tokenizer: try TokenizerLoader.load(url))
    }

    static let prompt = [5, 17, 200, 31, 9]

    static func sampled(seed: UInt64) -> GenerationOptions {
        GenerationOptions(
            maxNewTokens: 12, sampling: SamplingParameters(temperature: 1.5, topK: 40, topP: 0.95, seed: seed))
    }

    @Test(
        "the same seed gives the same tokens and draws; another seed other tokens",
        arguments: ["tiny-llama", "tiny-gemma3"])
    func seeded(_ name: String) throws {
        let generator = try Self.generator(name)
        let first = try generator.generate(promptIDs: Self.prompt, options: Self.sampled(seed: 7))
        let again = try generator.generate(promptIDs: Self.prompt, options: Self.sampled(seed: 7))
        let twoWorkers = try generator.generate(
            promptIDs: Self.prompt,
            options: {
                var o = Self.sampled(seed: 7)
                o.workers = 2
                return o
            }())
        #expect(first.ids == again.ids && first == again)
        #expect(first.ids == twoWorkers.ids)
        let others = try (1...4).map { try generator.generate(promptIDs: Self.prompt, options: Self.sampled(seed: $0)) }
        #expect(others.contains { $0.ids != first.ids })
        // The draws are SplitMix64's, one per token, in order.
        var random = SplitMix64(seed: 7)
        #expect(first.tokens.map(\.uniform) == first.tokens.map { _ in random.nextUniform() })
    }

    @Test("each step's sampled token is the one its draw selects from the filtered distribution")
    func stepRecords() throws {
        let generator = try Self.generator()
        let options = Self.sampled(seed: 11)
        let generation = try generator.generate(promptIDs: Self.prompt, options: options)
        var sequence = Self.prompt
        for token in generation.tokens {
            let logits = try generator.model.forward(tokens: sequence).logits(at: sequence.count - 1)!
            let s = options.sampling
            let distribution = SamplingDistribution(
                logits: Array(logits), temperature: s.temperature, topK: s.topK, topP: s.topP)
            #expect(distribution.sample(uniform: token.uniform!) == token.id, "position \(token.position)")
            let chosen = try #require(token.candidates.first { $0.chosen })
            #expect(chosen.id == token.id && token.candidates.filter(\.chosen).count == 1)
            #expect(abs(chosen.sampledProbability - distribution.probability(of: token.id)) < 1e-6)
            let top = NextTokenPrediction.top(logits, k: 10)
            #expect(Array(token.candidates.prefix(10)).map(\.id) == top.map(\.id))
            for (candidate, prediction) in zip(token.candidates, top) {
                #expect(abs(candidate.probability - prediction.probability) < 1e-6)
            }
            #expect(token.position == sequence.count)
            sequence.append(token.id)
        }
        #expect(generation.tokens.map(\.text).joined() == generation.text)
    }

    @Test("greedy with a repetition penalty takes the argmax of the penalised logits")
    func greedyPenalty() throws {
        let generator = try Self.generator()
        let options = GenerationOptions(
            maxNewTokens: 6, sampling: SamplingParameters(greedy: true, repetitionPenalty: 1.8))
        let generation = try generator.generate(promptIDs: Self.prompt, options: options)
        var sequence = Self.prompt
        for token in generation.tokens {
            let logits = Array(try generator.model.forward(tokens: sequence).logits(at: sequence.count - 1)!)
            #expect(token.id == Sampling.argmax(Sampling.penalized(logits, seen: sequence, penalty: 1.8)))
            #expect(token.uniform == nil && token.candidates.first { $0.chosen }?.sampledProbability == 1)
            sequence.append(token.id)
        }
        let plain = try generator.generate(
            promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: 6, sampling: .greedy))
        #expect(plain.ids != generation.ids, "the penalty changes this continuation")
    }

    @Test("a stop string ends generation and the text before it; the pieces join to the text")
    func stopStrings() throws {
        let generator = try Self.generator()
        let free = try generator.generate(
            promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: 16, sampling: .greedy))
        #expect(free.text.count >= 6, "\(free.text)")
        let stop = String(free.text.dropFirst(2).prefix(3))
        let stopped = try generator.generate(
            promptIDs: Self.prompt,
            options: GenerationOptions(maxNewTokens: 16, sampling: .greedy, stopStrings: [stop]))
        let cut = free.text.range(of: stop)!.lowerBound
        #expect(stopped.stopReason == .stopString)
        #expect(stopped.text == String(free.text[..<cut]))
        #expect(stopped.tokens.map(\.text).joined() == stopped.text)
        #expect(stopped.ids == Array(free.ids.prefix(stopped.ids.count)) && stopped.ids.count < free.ids.count)
    }

    @Test("an end-of-sequence id ends generation; its text is not part of the continuation")
    func endOfSequence() throws {
        let generator = try Self.generator()
        let free = try generator.generate(
            promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: 8, sampling: .greedy))
        let eos = free.ids[3]
        let ended = try generator.generate(
            promptIDs: Self.prompt,
            options: GenerationOptions(maxNewTokens: 8, sampling: .greedy, endOfSequenceIDs: [eos]))
        let first = free.ids.firstIndex(of: eos)!
        #expect(ended.stopReason == .endOfSequence && ended.ids == Array(free.ids.prefix(first + 1)))
        #expect(ended.tokens.last!.text.isEmpty)
    }

    @Test("a callback returning false stops after that token")
    func cancellation() throws {
        let generator = try Self.generator()
        var seen = 0
        let generation = try generator.generate(
            promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: 10, sampling: .greedy)
        ) { _ in
            seen += 1
            return seen < 3
        }
        #expect(generation.stopReason == .cancelled && generation.tokens.count == 3 && seen == 3)
    }

    @Test("the end-of-sequence ids come from generation_config.json, config.json or the tokenizer")
    func endOfSequenceIDs() throws {
        let url = Fixtures.model("tiny-gemma3")
        #expect(try EndOfSequence.ids(modelAt: url, tokenizer: try TokenizerLoader.load(url)) == [641])
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"eos_token_id": [1, 106]}"#.utf8).write(
            to: directory.appendingPathComponent("generation_config.json"))
        #expect(try EndOfSequence.ids(modelAt: directory, tokenizer: try TokenizerLoader.load(url)) == [1, 106])
        try Data(#"{"eos_token_id": "x"}"#.utf8).write(to: directory.appendingPathComponent("generation_config.json"))
        #expect(throws: (any Error).self) {
            try EndOfSequence.ids(modelAt: directory, tokenizer: try TokenizerLoader.load(url))
        }
    }

    @Test("requests past the context, with no new tokens or bad sampling values are refused, naming the field")
    func validation() throws {
        let generator = try Self.generator()
        let context = generator.model.info.contextLength
        #expect(throws: GenerationError.invalid("max_new_tokens", "must be at least 1, got 0")) {
            try generator.generate(promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: 0))
        }
        let past = context - Self.prompt.count + 1
        #expect(
            throws: GenerationError.invalid(
                "max_new_tokens",
                "\(past) after a prompt of \(Self.prompt.count) tokens passes the model's context of \(context) tokens "
                    + "(at most \(context - Self.prompt.count))")
        ) {
            try generator.generate(promptIDs: Self.prompt, options: GenerationOptions(maxNewTokens: past))
        }
        #expect(throws: GenerationError.self) {
            try generator.generate(
                promptIDs: Self.prompt, options: GenerationOptions(sampling: SamplingParameters(topP: 2)))
        }
        #expect(throws: TransformerError.self) { try generator.generate(promptIDs: [], options: GenerationOptions()) }
    }
}
