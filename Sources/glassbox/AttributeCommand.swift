import Analysis
import ArgumentParser
import Foundation
import Transformer

/// `glassbox attribute`: which input tokens a prediction depends on, by gradients or by occlusion.
struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Attribute a prediction to the prompt's tokens (saliency, gradient × input, integrated gradients, "
            + "occlusion, attention × gradient, gradient flow).",
        discussion: """
            The target f is the logit (or log-probability) of --target after --position, or with --contrast the \
            difference of two logits ("why A rather than B"). Integrated gradients report the completeness gap \
            Σ IG − (f(E) − f(E')): raise --steps until it is small.
            """)

    @OptionGroup var prompt: PromptOptions

    @Option(name: .long, help: "saliency, gradxinput, ig, occlusion, attention-gradient or gradient-flow.")
    var method: String

    @Option(name: .long, help: "Integrated-gradient steps m (1 to 1024).")
    var steps = 32

    @Option(name: .long, help: "Baseline of ig and occlusion: zero, pad, unk or a token id.")
    var baseline = "zero"

    @Option(name: .long, help: "The token to explain: top (the top-1 prediction), an id, or a one-token text.")
    var target = "top"

    @Option(name: .long, help: "logit or logprob.")
    var objective = "logit"

    @Option(name: .long, help: "Explain target rather than this token (an id or a one-token text).")
    var contrast: String?

    @Option(name: .long, parsing: .unconditional, help: "Position whose next token is explained (-1 = last).")
    var position = "-1"

    @Option(name: .long, help: "Saliency norm: l2 or l1.")
    var norm = "l2"

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard AttributionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(AttributionMethod.names), got \"\(method)\"")
        }
        guard AttributionParameters.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and 1024, got \(steps)")
        }
        guard GradientTarget.Objective(rawValue: objective) != nil else {
            throw ValidationError("--objective must be logit or logprob, got \"\(objective)\"")
        }
        guard AttributionNorm(rawValue: norm) != nil else {
            throw ValidationError("--norm must be l2 or l1, got \"\(norm)\"")
        }
        guard ["zero", "pad", "unk"].contains(baseline) || Int(baseline) != nil else {
            throw ValidationError("--baseline must be zero, pad, unk or a token id, got \"\(baseline)\"")
        }
        if contrast == "top" { throw ValidationError("--contrast must be a token id or text, not top") }
    }

    func run() throws {
        try withFailureReport {
            let run = try prompt.run()
            let q = try run.token(position, option: "--position")
            let V = run.model.info.vocabSize
            let logits = { () throws -> ArraySlice<Float> in
                if let row = run.trace.logits(at: q) { return row }
                let trace = try run.model.forward(tokens: run.ids, options: ForwardOptions(logitPositions: [q]))
                return trace.logits(at: q)!
            }
            let token = try TargetTokenSpec(target).resolve(tokenizer: run.tokenizer, vocabSize: V, logits: logits)
            let other = try contrast.map {
                try TargetTokenSpec($0).resolve(tokenizer: run.tokenizer, vocabSize: V, logits: logits)
            }
            let goal = GradientTarget(
                position: q, token: token, objective: GradientTarget.Objective(rawValue: objective)!, contrast: other)
            let start: AttributionBaseline
            do {
                start = try AttributionBaseline(
                    parsing: baseline, vocabSize: V, padTokenID: run.tokenizer.padTokenID,
                    unkTokenID: run.tokenizer.unkTokenID)
            } catch { throw ValidationError("--baseline: \(error)") }
            let parameters = AttributionParameters(
                method: AttributionMethod(rawValue: method)!, steps: steps, baseline: start,
                norm: AttributionNorm(rawValue: norm)!)
            let result = try Attribution.compute(
                model: run.model, trace: run.trace, target: goal, parameters: parameters, workers: prompt.threads)
            let report = AttributionReport(result, run: run)
            printOut(json ? try jsonLine(report) : report.text())
        }
    }
}
