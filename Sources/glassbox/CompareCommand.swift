import ArgumentParser
import Foundation
import Reports

/// `glassbox compare`: two models on one text, side by side (`TwoModelComparison`).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Two models on one text: next-token distributions (KL on the shared vocabulary strings), "
            + "per-layer metrics by relative depth, where the logit lens settles, pattern classes and anomalies.",
        discussion: """
            Each model tokenises the text itself. The KL divergences are between the two distributions renormalised \
            over the vocabulary strings both models have; each model's probability outside them is printed too. \
            Definitions: docs/analyses.md §5. --json prints the API's JSON.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .customLong("with"), help: "The second model: a name from the configuration, a directory or a GGUF.")
    var other: String

    @Option(name: .long, help: "The text both models read.")
    var prompt: String

    @Option(name: .customLong("top-k"), help: "Predictions listed per model (1 to 50).")
    var topK = 10

    @Flag(name: .long, help: "Print one JSON object instead of a summary.")
    var json = false

    func validate() throws {
        guard !prompt.isEmpty else { throw ValidationError("--prompt is empty: give the text both models read") }
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be from 1 to 50, got \(topK)") }
    }

    func run() throws {
        try withFailureReport {
            let (modelA, tokenizerA) = try modelOptions.load()
            var options = modelOptions
            options.model = other
            let (modelB, tokenizerB) = try options.load()
            let comparison = try TwoModelComparison.compare(
                text: prompt, a: .init(name: modelOptions.model, model: modelA, tokenizer: tokenizerA),
                b: .init(name: other, model: modelB, tokenizer: tokenizerB), topK: topK, workers: modelOptions.threads)
            if json {
                printOut(String(decoding: TwoModelComparisonJSON.data(comparison), as: UTF8.self))
            } else {
                printOut(TwoModelComparisonSummary.text(comparison))
            }
        }
    }
}
