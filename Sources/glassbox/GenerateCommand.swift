import ArgumentParser
import Foundation
import Tokenizers
import Transformer

/// `glassbox generate`: continue a prompt with the KV-cached decoder, greedy or sampled.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt token by token (greedy or sampled) and show each token's distribution.",
        discussion: """
            Sampling applies, in order: the repetition penalty (positive logits divided by it, others multiplied, for \
            every token already in the sequence), the temperature, top-k, top-p, then one uniform draw per token from \
            SplitMix64 seeded with --seed, so the same command gives the same text on any machine. --greedy takes the \
            most probable token instead (transformers' do_sample=False). Generation stops after --max-new-tokens, at \
            the model's end-of-sequence token, or when the text contains a --stop string (the text ends before it). \
            The plain form prints the continuation as it is produced; --json prints one object at the end.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The prompt text.")
    var prompt: String

    @Option(name: .customLong("max-new-tokens"), help: "Most tokens to generate.")
    var maxNewTokens: Int = 32

    @Option(name: .long, help: "Divisor of the logits before the softmax (sampling only; > 0).")
    var temperature: Double = 1

    @Option(name: .customLong("top-k"), help: "Keep only the k most probable tokens (0: all).")
    var topK: Int = 0

    @Option(name: .customLong("top-p"), help: "Keep the smallest set of tokens reaching this probability, in (0, 1].")
    var topP: Double = 1

    @Option(name: .customLong("repetition-penalty"), help: "Penalty of tokens already in the sequence (1: none).")
    var repetitionPenalty: Double = 1

    @Option(name: .long, help: "Seed of the sampling draws.")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Take the most probable token at every step (no sampling).")
    var greedy = false

    @Option(name: .long, parsing: .singleValue, help: "Stop when the text contains this string (repeatable).")
    var stop: [String] = []

    @Option(name: .long, help: "Candidates shown per generated token (with --json).")
    var candidates: Int = 5

    @Flag(name: .long, help: "Print one JSON object instead of streaming the text.")
    var json = false

    var sampling: SamplingParameters {
        SamplingParameters(
            greedy: greedy, temperature: temperature, topK: topK, topP: topP, repetitionPenalty: repetitionPenalty,
            seed: seed)
    }

    func validate() throws {
        guard !prompt.isEmpty else { throw ValidationError("--prompt is empty: give the text to continue") }
        do { try sampling.validate() } catch { throw ValidationError("--" + optionName(error)) }
        guard maxNewTokens >= 1 else {
            throw ValidationError("--max-new-tokens must be at least 1, got \(maxNewTokens)")
        }
        guard candidates >= 0 else { throw ValidationError("--candidates must be 0 or more, got \(candidates)") }
    }

    func run() throws {
        try withFailureReport {
            let (url, format) = try ModelResolution.resolve(
                modelOptions.model, config: modelOptions.config, weights: modelOptions.weights)
            let model = try ModelLoader.load(url, weights: format)
            let tokenizer = try TokenizerLoader.load(url)
            let ids: [Int]
            do { ids = try PromptRunner(model: model, tokenizer: tokenizer).tokenize(prompt) } catch {
                throw ValidationError("\(error)")
            }
            let options = GenerationOptions(
                maxNewTokens: maxNewTokens, sampling: sampling, stopStrings: stop,
                endOfSequenceIDs: try EndOfSequence.ids(modelAt: url, tokenizer: tokenizer),
                candidates: candidates, workers: modelOptions.threads)
            let generator = TextGenerator(model: model, tokenizer: tokenizer)
            do { try generator.validate(options, promptTokens: ids.count) } catch let error as GenerationError {
                throw ValidationError("--" + optionName(error))
            }
            let stream = !json
            let generation = try generator.generate(promptIDs: ids, options: options) { token in
                if stream, !token.text.isEmpty { FileHandle.standardOutput.write(Data(token.text.utf8)) }
                return true
            }
            if json {
                printOut(
                    try jsonLine(
                        GenerateReport(
                            model: modelOptions.model, prompt: prompt, generation: generation, options: options,
                            tokenizer: tokenizer)))
            } else {
                printOut("")
                FileHandle.standardError.write(
                    Data(
                        "[\(generation.tokens.count) tokens after \(ids.count), stopped: \(generation.stopReason.rawValue)]\n"
                            .utf8))
            }
        }
    }

    /// A generation error in the command line's spelling (`top_p …` → `top-p …`).
    private func optionName(_ error: GenerationError) -> String {
        error.parameter.replacingOccurrences(of: "_", with: "-")
            + String(error.description.dropFirst(error.parameter.count))
    }
}
