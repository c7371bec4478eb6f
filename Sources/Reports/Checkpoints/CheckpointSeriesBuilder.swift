import Analysis
import Tokenizers
import Transformer

/// Measures a checkpoint series: each checkpoint loaded in turn (and let go before the next), its shape checked
/// against the first, the prompts tokenized by its own tokenizer and measured, with progress in forward passes and
/// cancellation between passes.
public struct CheckpointSeriesBuilder: Sendable {
    public let options: CheckpointSeriesOptions

    public init(options: CheckpointSeriesOptions = .init()) { self.options = options }

    /// Checks the request before any work: 2 to `maxCheckpoints` checkpoints, 1 to `maxPrompts` prompts, none empty.
    public func validate(checkpoints: Int, prompts: [String]) throws {
        guard checkpoints >= 2 else {
            throw ReportError(CheckpointError.tooFewCheckpoints(checkpoints).description, parameter: "checkpoints")
        }
        guard checkpoints <= options.maxCheckpoints else {
            throw ReportError(
                "\(checkpoints) checkpoints is more than the limit of \(options.maxCheckpoints) per series",
                parameter: "checkpoints")
        }
        guard !prompts.isEmpty else { throw ReportError(CheckpointError.noPrompts.description) }
        guard prompts.count <= options.maxPrompts else {
            throw ReportError("\(prompts.count) prompts is more than the limit of \(options.maxPrompts) per series")
        }
        if let bad = prompts.firstIndex(where: { $0.isEmpty }) { throw ReportError("prompt \(bad + 1) is empty") }
    }

    /// The prompts' token ids under one checkpoint's tokenizer, each within the limits and of at least two tokens.
    public func tokenize(_ prompts: [String], model: DecoderModel, tokenizer: any Tokenizer, checkpoint: String)
        throws -> [[Int]]
    {
        let runner = PromptRunner(model: model, tokenizer: tokenizer, maxTokens: options.maxTokens)
        return try prompts.enumerated().map { i, prompt in
            let ids = try ReportError.prompt("prompt \(i + 1) under checkpoint \"\(checkpoint)\"") {
                try runner.tokenize(prompt)
            }
            guard ids.count >= 2 else {
                throw ReportError(
                    CheckpointError.promptTooShort(prompt: i + 1, tokens: ids.count, checkpoint: checkpoint)
                        .description)
            }
            return ids
        }
    }

    /// Measures every checkpoint in order. `progress` after each forward pass (the total is known once the first
    /// checkpoint is loaded: every checkpoint has its shape); `shouldContinue` is asked before every pass (false stops
    /// with `AnalysisCancelled`).
    public func build(
        _ sources: [CheckpointSource], prompts: [String], shouldContinue: () -> Bool = { true },
        progress: (CheckpointSeriesProgress) -> Void = { _ in }
    ) throws -> CheckpointSeriesReport {
        try validate(checkpoints: sources.count, prompts: prompts)
        var measurements: [CheckpointMeasurement] = [], displays: [[String]] = []
        var total = 0, per = 0
        for (index, source) in sources.enumerated() {
            guard shouldContinue() else { throw AnalysisCancelled() }
            let (model, tokenizer) = try load(source)
            if let first = measurements.first {
                do throws(CheckpointError) {
                    try CheckpointSeries.checkShape(model.info, of: source.name, against: first.info, of: first.name)
                } catch { throw ReportError(error.description, parameter: "checkpoints") }
            } else {
                per = prompts.count * CheckpointMeasurement.passes(model.info, parameters: options.parameters)
                total = sources.count * per
            }
            let ids = try tokenize(prompts, model: model, tokenizer: tokenizer, checkpoint: source.name)
            let passesPerPrompt = per / prompts.count
            let measurement = try CheckpointMeasurement.measure(
                name: source.name, model: model, prompts: ids, parameters: options.parameters,
                shouldContinue: shouldContinue,
                progress: { done in
                    progress(
                        CheckpointSeriesProgress(
                            done: index * per + done, total: total, checkpoint: index, checkpointName: source.name,
                            prompt: min((done - 1) / passesPerPrompt, prompts.count - 1)))
                })
            measurements.append(measurement)
            displays.append(measurement.prompts.map { tokenizer.displayString(for: $0.lastPosition.final) })
        }
        let series: CheckpointSeries
        do throws(CheckpointError) { series = try CheckpointSeries(measurements) } catch {
            throw ReportError(error.description, parameter: "checkpoints")
        }
        return CheckpointSeriesReport(
            series: series, prompts: prompts, predictionDisplays: displays, options: options)
    }

    /// Loads a checkpoint, naming it in any error.
    func load(_ source: CheckpointSource) throws -> (model: DecoderModel, tokenizer: any Tokenizer) {
        do { return try source.load() } catch let error as ReportError { throw error } catch {
            throw ReportError("checkpoint \"\(source.name)\" cannot be loaded: \(error)", parameter: "checkpoints")
        }
    }
}
