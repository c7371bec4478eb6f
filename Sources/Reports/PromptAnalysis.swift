import Analysis
import Foundation
import Tokenizers
import Transformer

/// Everything a report needs from one prompt, measured from one forward pass (plus the ablation passes when asked):
/// the trace itself is not kept.
public struct PromptAnalysis: Sendable {
    public let prompt: String
    public let tokens: [Int]
    /// The tokens as displayed (whitespace made visible).
    public let displays: [String]
    /// The model's top predictions after the last position.
    public let predictions: [NextTokenTable.Prediction]
    /// The display form of each predicted token.
    public let predictionDisplays: [Int: String]
    /// `[layer][head]`.
    public let metrics: [[HeadMetrics]]
    public let anomalies: AttentionAnomalies
    public let lensFlips: [LensFlip]
    public let flow: [LayerFlow]
    /// Nil when the report skips ablation.
    public let ablation: AblationEffects?
    /// Seconds spent on this prompt.
    public let seconds: Double

    /// The forward passes `analyze` runs for one prompt.
    public static func passes(_ info: ModelInfo, ablation: Bool) -> Int {
        1 + (ablation ? AblationEffects.passes(for: info) : 0)
    }

    /// Tokenizes and runs `prompt`, then measures it. `progress(passes done)` after each forward pass;
    /// `shouldContinue` before each (false stops with `AnalysisCancelled`).
    public static func analyze(
        prompt: String, model: DecoderModel, tokenizer: any Tokenizer, options: ReportOptions,
        shouldContinue: () -> Bool = { true }, progress: (Int) -> Void = { _ in }
    ) throws
        -> PromptAnalysis
    {
        let start = DispatchTime.now()
        guard shouldContinue() else { throw AnalysisCancelled() }
        let runner = PromptRunner(model: model, tokenizer: tokenizer, maxTokens: options.maxTokens)
        let run = try ReportError.prompt("the prompt \"\(prompt.prefix(40))\"") {
            try runner.run(prompt, options: ForwardOptions(workers: options.workers))
        }
        let tokens = run.ids, trace = run.trace
        progress(1)
        let metrics = try HeadMetrics.all(trace: trace, parameters: options.metricParameters)
        let anomalies = AttentionAnomalies(
            trace: trace, headOutputNorms: try HeadOutputNorms(model: model, trace: trace),
            parameters: options.anomalyParameters)
        let flips = try LensFlip.compute(
            model: model, trace: trace, workers: options.workers,
            shouldContinue: shouldContinue)
        let ablation =
            options.ablation
            ? try AblationEffects.measure(
                model: model, baseline: trace, workers: options.workers,
                shouldContinue: shouldContinue, progress: { progress(1 + $0) })
            : nil
        let predictions = run.predictions(k: options.topK)
        var shown = Dictionary(uniqueKeysWithValues: predictions.map { ($0.id, tokenizer.displayString(for: $0.id)) })
        if let ablation { shown[ablation.predicted] = tokenizer.displayString(for: ablation.predicted) }
        return PromptAnalysis(
            prompt: prompt, tokens: tokens, displays: tokens.map(tokenizer.displayString(for:)),
            predictions: predictions, predictionDisplays: shown, metrics: metrics,
            anomalies: anomalies, lensFlips: flips, flow: LayerFlow.compute(trace: trace),
            ablation: ablation,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
}
