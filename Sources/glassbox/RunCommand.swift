import ArgumentParser
import Transformer

/// `glassbox run`: tokenize a prompt, run the traced forward pass, print the tokens and the top next tokens.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on a prompt and print its tokens and top next-token predictions.")

    @OptionGroup var prompt: PromptOptions

    @Option(name: .customLong("top-k"), help: "How many next-token predictions to print.")
    var topK: Int = 10

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard topK > 0 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
    }

    func run() throws {
        try withFailureReport {
            let run = try prompt.run()
            let logits = run.trace.logits(at: run.ids.count - 1) ?? []
            let top = NextTokenPrediction.top(logits, k: min(topK, run.model.info.vocabSize))
            let report = RunReport(
                info: run.model.info, path: prompt.model, ids: run.ids, tokenizer: run.tokenizer,
                top: top)
            printOut(json ? try report.json() : report.text())
        }
    }
}
