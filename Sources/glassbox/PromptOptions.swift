import ArgumentParser
import Foundation
import Tokenizers
import Transformer

/// The options every command that analyses one prompt shares: the model options and the prompt.
struct PromptOptions: ParsableArguments {
    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The prompt text.")
    var prompt: String

    var model: String { modelOptions.model }
    var threads: Int { modelOptions.threads }

    func validate() throws {
        guard !prompt.isEmpty else { throw ValidationError("--prompt is empty: give the text to run") }
    }

    /// Loads the model and tokenizer and runs the prompt through the one prompt runner (the model's context is the
    /// limit).
    func run() throws -> TracedPrompt {
        let (decoder, tokenizer) = try modelOptions.load()
        let runner = PromptRunner(model: decoder, tokenizer: tokenizer)
        let run: Transformer.PromptRun
        do { run = try runner.run(prompt, options: ForwardOptions(workers: threads)) } catch let error as PromptError {
            throw ValidationError(error.description)
        }
        return TracedPrompt(model: decoder, tokenizer: tokenizer, ids: run.ids, trace: run.trace)
    }
}

/// A model run on one prompt: what the analysis commands read.
struct TracedPrompt {
    let model: DecoderModel
    let tokenizer: any Tokenizer
    let ids: [Int]
    let trace: Trace

    /// Display strings of the prompt's tokens (spaces and newlines visible).
    var displayTokens: [String] { ids.map { tokenizer.displayString(for: $0) } }

    /// Parses a token position: an index, or a negative index counted from the end (-1 = the last token).
    func token(_ text: String, option: String) throws -> Int {
        guard let value = Int(text) else {
            throw ValidationError("\(option) must be a token position, got \"\(text)\"")
        }
        let position = value < 0 ? ids.count + value : value
        guard (0..<ids.count).contains(position) else {
            throw ValidationError(
                "\(option) \(value) is outside the prompt's \(ids.count) tokens "
                    + "(0 to \(ids.count - 1), or -1 for the last)")
        }
        return position
    }
}

/// Encodes `value` as one line of JSON with sorted keys.
func jsonLine(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
