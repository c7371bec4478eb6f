import Analysis
import ArgumentParser
import Foundation
import Reports
import Synchronization
import Transformer

/// `glassbox explain`: which explainer to trust for one prediction: faithfulness against random orders, agreement,
/// consensus, stability, and optionally a second model's disagreement.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Evaluate the explainers of one prediction: deletion and insertion curves against random orders, "
            + "comprehensiveness, sufficiency, agreement, consensus and stability.",
        discussion: """
            Definitions: docs/analyses.md §7. The target is as in `glassbox attribute`. Progress (passes) goes to \
            standard error; --json prints one object, --out writes a standalone HTML page.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The prompt text.")
    var prompt: String

    @Option(name: .long, help: "The token to explain: top, an id, or a one-token text.")
    var target = "top"

    @Option(name: .long, help: "Explain target rather than this token (an id or a one-token text).")
    var contrast: String?

    @Option(name: .long, help: "logit or logprob.")
    var objective = "logit"

    @Option(name: .long, parsing: .unconditional, help: "Position whose next token is explained (-1 = last).")
    var position = -1

    @Option(name: .long, help: "Comma-separated explainers (default: all): \(EvaluationMethod.names).")
    var methods = EvaluationMethod.allCases.map(\.rawValue).joined(separator: ",")

    @Option(name: .long, help: "Integrated-gradient steps m (1 to 1024).")
    var steps = 32

    @Option(name: .long, help: "Baseline row of the perturbations, IG and occlusion: zero, pad, unk or a token id.")
    var baseline = "zero"

    @Option(name: .long, help: "A variant of the prompt with the same token count, for stability.")
    var variant: String?

    @Option(name: .customLong("noise-samples"), help: "Noisy copies of the input embeddings for stability.")
    var noiseSamples = 3

    @Option(name: .long, help: "Noise standard deviation per coordinate, relative to the mean embedding norm.")
    var sigma = 0.01

    @Option(name: .customLong("top-k"), help: "k of the top-k overlap (default: 20 % of the tokens, rounded up).")
    var topK: Int?

    @Option(name: .customLong("compare-model"), help: "A second model to compare word by word on the same text.")
    var compareModel: String?

    @Flag(name: .long, help: "Print one JSON object instead of a summary.")
    var json = false

    @Option(name: .long, help: "Write a standalone HTML page to this file.")
    var out: String?

    func validate() throws {
        guard !prompt.isEmpty else { throw ValidationError("--prompt is empty: give the text to explain") }
        do { _ = try EvaluationMethod.parseList(methods) } catch { throw ValidationError("--\(error)") }
        guard AttributionParameters.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and 1024, got \(steps)")
        }
        guard sigma > 0 && sigma <= EvaluationParameters.sigmaRange.upperBound else {
            throw ValidationError("--sigma must be above 0 and at most 10 (× the mean embedding norm), got \(sigma)")
        }
        guard (0...64).contains(noiseSamples) else {
            throw ValidationError("--noise-samples must be from 0 to 64, got \(noiseSamples)")
        }
        guard GradientTarget.Objective(rawValue: objective) != nil else {
            throw ValidationError("--objective must be logit or logprob, got \"\(objective)\"")
        }
        guard ["zero", "pad", "unk"].contains(baseline) || Int(baseline) != nil else {
            throw ValidationError("--baseline must be zero, pad, unk or a token id, got \"\(baseline)\"")
        }
        if variant?.isEmpty == true { throw ValidationError("--variant is empty: give a prompt or leave it out") }
        if contrast == "top" { throw ValidationError("--contrast must be a token id or text, not top") }
    }

    func run() throws {
        try withFailureReport {
            let (model, tokenizer) = try modelOptions.load()
            let start: AttributionBaseline
            do {
                start = try AttributionBaseline(
                    parsing: baseline, vocabSize: model.info.vocabSize, padTokenID: tokenizer.padTokenID,
                    unkTokenID: tokenizer.unkTokenID)
            } catch { throw ValidationError("--baseline: \(error)") }
            let parameters = EvaluationParameters(
                methods: try EvaluationMethod.parseList(methods), steps: steps, baseline: start,
                noiseSamples: noiseSamples, sigma: sigma, topK: topK)
            let request = ExplanationRequest(
                prompt: prompt, target: TargetTokenSpec(target), position: position,
                objective: GradientTarget.Objective(rawValue: objective)!, contrast: contrast.map(TargetTokenSpec.init),
                parameters: parameters, variant: variant)
            let other = try compareModel.map { name -> ExplanationBuilder.Other in
                var options = modelOptions
                options.model = name
                let (m, t) = try options.load()
                return ExplanationBuilder.Other(name: name, model: m, tokenizer: t)
            }
            let builder = ExplanationBuilder(modelName: modelOptions.model, model: model, tokenizer: tokenizer)
            let report: ExplanationReport
            let line = ProgressLine()
            defer { line.finish() }
            do {
                report = try builder.build(
                    request, compareWith: other, workers: modelOptions.threads, progress: { line.show($0) })
            } catch let error as EvaluationError {
                throw ValidationError("--\(error.field.replacingOccurrences(of: "_", with: "-")): \(error.message)")
            }
            if let out {
                try Data(ExplanationHTML.page(report).utf8).write(to: URL(fileURLWithPath: out))
            }
            if json {
                printOut(String(decoding: ExplanationJSON.data(report), as: UTF8.self))
            } else {
                printOut(ExplanationSummary.text(report))
                if let out { printOut("wrote \(out)") }
            }
        }
    }
}

/// One progress line on standard error, rewritten in place, and cleared at the end if it was shown.
final class ProgressLine: Sendable {
    private let shown = Mutex(false)

    func show(_ p: EvaluationProgress) {
        shown.withLock { $0 = true }
        FileHandle.standardError.write(Data("\r\(p.stage.rawValue): \(p.done)/\(p.total) passes   ".utf8))
    }

    func finish() {
        if shown.withLock({ $0 }) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
