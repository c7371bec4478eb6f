import ArgumentParser
import Foundation
import Tensors
import Tokenizers
import Transformer

/// `glassbox run`: tokenize a prompt, run the traced forward pass, print the tokens and the top next tokens.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on a prompt and print its tokens and top next-token predictions.")

    @Option(name: .long, help: "Model name from the configuration, a Hugging Face model directory, or a GGUF file.")
    var model: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "The prompt text.")
    var prompt: String

    @Option(name: .customLong("top-k"), help: "How many next-token predictions to print.")
    var topK: Int = 10

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .long, help: "Worker threads for the forward pass (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard topK > 0 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
        guard (1...WorkerPool.maximumWorkers).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(WorkerPool.maximumWorkers), got \(threads)")
        }
        guard !prompt.isEmpty else { throw ValidationError("--prompt is empty: give the text to run") }
    }

    func run() throws {
        try withFailureReport {
            let url = try ModelResolution.resolve(model, config: config)
            let decoder = try ModelLoader.load(url)
            let tokenizer = try TokenizerLoader.load(url)
            let ids = try tokenizer.encode(prompt)
            guard !ids.isEmpty else { throw ValidationError("the prompt encodes to no tokens") }
            let trace = try decoder.forward(tokens: ids, options: ForwardOptions(workers: threads))
            let logits = trace.logits(at: ids.count - 1) ?? []
            let top = NextTokenPrediction.top(logits, k: min(topK, decoder.info.vocabSize))
            let report = RunReport(info: decoder.info, path: model, ids: ids, tokenizer: tokenizer, top: top)
            printOut(json ? try report.json() : report.text())
        }
    }
}
