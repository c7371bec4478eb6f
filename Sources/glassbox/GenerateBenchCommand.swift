import ArgumentParser
import Benchmarks
import Foundation
import ModelFormats
import Tokenizers
import Transformer

/// `glassbox bench generate`: greedy KV-cached decoding speed (time to first token, tokens per second).
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Time greedy decoding with the KV cache: time to first token and tokens per second.",
        discussion: """
            The prompt is a fixed pseudo-random sequence of --prompt-tokens ids (tools/bench/generate_reference.py \
            reproduces it for transformers; scripts/bench_generate runs both). No end-of-sequence token stops a run.
            """)

    @Option(name: .long, help: "Model name from the configuration, a Hugging Face model directory, or a GGUF file.")
    var model: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .customLong("new-tokens"), help: "Tokens generated per run.")
    var newTokens: Int = 64

    @Option(name: .customLong("prompt-tokens"), help: "Tokens of the prompt.")
    var promptTokens: Int = 32

    @Option(name: .long, help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(name: .long, help: "Timed runs per thread count (after one warm-up).")
    var repeats: Int = 3

    @Option(name: .long, help: WeightFormat.optionHelp)
    var weights: WeightFormat?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard newTokens >= 1 else { throw ValidationError("--new-tokens must be at least 1, got \(newTokens)") }
        guard promptTokens >= 1 else {
            throw ValidationError("--prompt-tokens must be at least 1, got \(promptTokens)")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        _ = try BenchOptions.parseList(threads, option: "--threads")
    }

    func run() throws {
        try withFailureReport {
            let (url, format) = try ModelResolution.resolve(model, config: config, weights: weights)
            let decoder = try ModelLoader.load(url, weights: format)
            let generator = TextGenerator(model: decoder, tokenizer: try TokenizerLoader.load(url))
            guard promptTokens + newTokens <= decoder.info.contextLength else {
                throw ValidationError(
                    "--prompt-tokens \(promptTokens) + --new-tokens \(newTokens) exceed the model's context of "
                        + "\(decoder.info.contextLength)")
            }
            let benchmark = GenerateBenchmark(
                generator: generator, promptTokens: promptTokens, newTokens: newTokens,
                threadCounts: try BenchOptions.parseList(threads, option: "--threads"), repeats: repeats)
            let json = self.json
            if !json {
                let info = decoder.info
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel), vocab \(info.vocabSize); "
                        + "weights " + String(format: "%.0f MB", Double(decoder.weightBytes) / 1e6)
                        + (decoder.lmHead.weight.isPacked ? " (kept as stored)" : " (float32)") + "; greedy, medians")
                printOut("threads prompt  new   ttft_s decode_tok/s  total_s")
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                printOut(
                    String(
                        format: "%7d %6d %4d %8.4f %12.2f %8.3f", row.threads, row.promptTokens, row.newTokens,
                        row.timeToFirstToken.median, row.medianDecodeTokensPerSecond, row.total.median))
            }
            if json { printOut(try jsonLine(GenerateBenchReport(model: decoder.info, rows: rows))) }
        }
    }
}

/// JSON form of a generation benchmark.
struct GenerateBenchReport: Encodable {
    let model: ModelInfo
    let rows: [GenerateBenchmark.Row]
}
