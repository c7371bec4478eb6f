import ArgumentParser
import Foundation
import ModelFormats
import Tensors
import Tokenizers
import Transformer

/// The options every command that loads one model shares: which model, which configuration, how many threads.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Model name from the configuration, a Hugging Face model directory, or a GGUF file.")
    var model: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: WeightFormat.optionHelp)
    var weights: WeightFormat?

    func validate() throws {
        guard (1...WorkerPool.maximumWorkers).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(WorkerPool.maximumWorkers), got \(threads)")
        }
    }

    /// Resolves the model (installing a registry model on first use) and loads its weights and tokenizer.
    func load() throws -> (model: DecoderModel, tokenizer: any Tokenizer) {
        let (url, format) = try ModelResolution.resolve(model, config: config, weights: weights)
        return (try ModelLoader.load(url, weights: format), try TokenizerLoader.load(url))
    }
}
