import Analysis
import Foundation
import Tokenizers
import Transformer

/// Runs a report: every prompt measured in turn, with progress in forward passes and cancellation between passes.
public struct ReportBuilder: Sendable {
    public let modelName: String
    public let model: DecoderModel
    public let tokenizer: any Tokenizer
    public let options: ReportOptions

    public init(modelName: String, model: DecoderModel, tokenizer: any Tokenizer, options: ReportOptions) {
        self.modelName = modelName
        self.model = model
        self.tokenizer = tokenizer
        self.options = options
    }

    /// Checks a prompt set before any work: not empty, within the limit, no empty prompt.
    public func validate(_ prompts: [String]) throws {
        guard !prompts.isEmpty else { throw ReportError("the prompt set is empty: give at least one prompt") }
        guard prompts.count <= options.maxPrompts else {
            throw ReportError("\(prompts.count) prompts is more than the limit of \(options.maxPrompts) per report")
        }
        if let bad = prompts.firstIndex(where: { $0.isEmpty }) { throw ReportError("prompt \(bad + 1) is empty") }
        let runner = PromptRunner(model: model, tokenizer: tokenizer, maxTokens: options.maxTokens)
        for (i, prompt) in prompts.enumerated() {
            _ = try ReportError.prompt("prompt \(i + 1)") { try runner.tokenize(prompt) }
        }
    }

    /// Forward passes the whole report runs.
    public func totalPasses(_ prompts: [String]) -> Int {
        prompts.count * PromptAnalysis.passes(model.info, ablation: options.ablation)
    }

    /// Measures every prompt. `progress(passes done, total, prompt index)`; `shouldContinue` is asked before every
    /// pass (false stops with `AnalysisCancelled`).
    public func build(
        _ prompts: [String], shouldContinue: () -> Bool = { true },
        progress: (_ done: Int, _ total: Int, _ prompt: Int) -> Void
    ) throws -> Report {
        try validate(prompts)
        let total = totalPasses(prompts), per = PromptAnalysis.passes(model.info, ablation: options.ablation)
        var analyses: [PromptAnalysis] = []
        for (index, prompt) in prompts.enumerated() {
            do {
                analyses.append(
                    try PromptAnalysis.analyze(
                        prompt: prompt, model: model, tokenizer: tokenizer,
                        options: options, shouldContinue: shouldContinue,
                        progress: { progress(index * per + $0, total, index) }))
            } catch let error as ReportError {
                throw ReportError("prompt \(index + 1): \(error.message)")
            } catch let error as TransformerError {
                throw ReportError("prompt \(index + 1): \(error)")
            }
        }
        return Report(model: modelName, info: model.info, options: options, prompts: analyses)
    }
}
