import ArgumentParser
import Foundation
import ModelFormats
import Tensors
import Transformer

/// The options `glassbox bench forward` and `glassbox bench graph` share: which model, at which prompt lengths and
/// thread counts, as a table or JSON.
struct BenchOptions: ParsableArguments {
    @Option(name: .long, help: "Model name from the configuration, a Hugging Face model directory, or a GGUF file.")
    var model: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "Comma-separated prompt lengths in tokens.")
    var tokens: String = "32,128,512"

    @Option(name: .long, help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .long, help: WeightFormat.optionHelp)
    var weights: WeightFormat?

    static func parseList(_ text: String, option: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(option) must be a comma-separated list of positive integers, got \"\(text)\"")
        }
        return values.compactMap { $0 }
    }

    var tokenCounts: [Int] { get throws { try Self.parseList(tokens, option: "--tokens") } }
    var threadCounts: [Int] { get throws { try Self.parseList(threads, option: "--threads") } }

    func validate() throws {
        _ = try tokenCounts
        if let bad = try threadCounts.first(where: { $0 > WorkerPool.maximumWorkers }) {
            throw ValidationError("--threads \(bad) is more than \(WorkerPool.maximumWorkers)")
        }
    }

    /// Loads the model and checks that every prompt length fits its context.
    func loadModel() throws -> DecoderModel {
        let (url, format) = try ModelResolution.resolve(model, config: config, weights: weights)
        let decoder = try ModelLoader.load(url, weights: format)
        if let tooLong = try tokenCounts.first(where: { $0 > decoder.info.contextLength }) {
            throw ValidationError("--tokens \(tooLong) exceeds the model's context of \(decoder.info.contextLength)")
        }
        return decoder
    }
}
