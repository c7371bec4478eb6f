import Analysis
import Foundation
import Tokenizers
import Transformer

/// Builds an explanation report for one prompt: the traced run, the target, the evaluation (a job's worth of
/// passes, with progress and cancellation), and optionally the comparison with a second model.
public struct ExplanationBuilder: Sendable {
    public let modelName: String
    public let model: DecoderModel
    public let tokenizer: any Tokenizer
    /// The most tokens a prompt may have (with the model's context); nil: the context only.
    public let maxTokens: Int?

    public init(modelName: String, model: DecoderModel, tokenizer: any Tokenizer, maxTokens: Int? = nil) {
        self.modelName = modelName
        self.model = model
        self.tokenizer = tokenizer
        self.maxTokens = maxTokens
    }

    /// A second model for `ModelComparison`.
    public typealias Other = NamedModel

    /// The run, the resolved target and the variant's ids, checked before any long work: bad input throws
    /// `EvaluationError` naming its field (`prompt`, `variant`, `target`, `contrast`, `position`, `methods`, …).
    public func prepare(_ request: ExplanationRequest, workers: Int = 1) throws -> Prepared {
        let runner = PromptRunner(model: model, tokenizer: tokenizer, maxTokens: maxTokens)
        let ids: [Int]
        do { ids = try runner.tokenize(request.prompt) } catch {
            throw EvaluationError(field: "prompt", error.description)
        }
        try request.parameters.validate(tokens: ids.count, vocabSize: model.info.vocabSize)
        var variant: [Int]?
        if let text = request.variant {
            do { variant = try runner.tokenize(text) } catch {
                throw EvaluationError(field: "variant", error.description)
            }
            if variant!.count != ids.count {
                throw EvaluationError(
                    field: "variant",
                    "has \(variant!.count) tokens and the prompt \(ids.count): give a variant with the same token count"
                )
            }
        }
        let n = ids.count, q = request.position < 0 ? n + request.position : request.position
        guard (0..<n).contains(q) else {
            throw EvaluationError(
                field: "position", "\(request.position) is outside the prompt's \(n) tokens (0 to \(n - 1), or -1)")
        }
        let run = try runner.run(ids: ids, options: ForwardOptions(logitPositions: [q], workers: workers))
        let target = try resolveTarget(request, position: q, run: run, model: model, tokenizer: tokenizer)
        return Prepared(run: run, target: target, variant: variant)
    }

    /// What `prepare` checked and computed: the traced run, the resolved target and the variant's ids.
    public struct Prepared: Sendable {
        public let run: PromptRun
        public let target: GradientTarget
        public let variant: [Int]?
    }

    /// The whole report. `progress` counts the evaluation's passes (`EvaluationProgress`); `shouldContinue` false
    /// stops with `AnalysisCancelled` before the next batch of passes. `prepared`: what `prepare(request)` gave
    /// (nil: prepared here).
    public func build(
        _ request: ExplanationRequest, prepared: Prepared? = nil, compareWith other: Other? = nil, workers: Int = 1,
        scheduling: PassScheduling = PassScheduling(), shouldContinue: @escaping @Sendable () -> Bool = { true },
        progress: @escaping @Sendable (EvaluationProgress) -> Void = { _ in }
    ) throws -> ExplanationReport {
        let start = Date()
        let ready = try prepared ?? prepare(request, workers: workers)
        let (run, target, variant) = (ready.run, ready.target, ready.variant)
        let evaluation = try ExplanationEvaluation.evaluate(
            model: model, trace: run.trace, target: target, parameters: request.parameters, variant: variant,
            workers: workers, scheduling: scheduling, shouldContinue: shouldContinue, progress: progress)
        let predictions = NextTokenPrediction.top(run.trace.logits(at: target.position) ?? [], k: 5)
        let comparison = try other.map {
            try compare(request, first: (run, target), with: $0, workers: workers, shouldContinue: shouldContinue)
        }
        return ExplanationReport(
            modelName: modelName, info: model.info, prompt: request.prompt, ids: run.ids,
            displays: run.ids.map { tokenizer.displayString(for: $0) }, targetText: tokenizer.decode([target.token]),
            targetDisplay: tokenizer.displayString(for: target.token),
            contrastText: target.contrast.map { tokenizer.decode([$0]) }, predictions: predictions,
            predictionTexts: predictions.map { tokenizer.decode([$0.id]) }, evaluation: evaluation,
            variant: request.variant, variantDisplays: variant.map { $0.map { tokenizer.displayString(for: $0) } },
            comparison: comparison, seconds: Date().timeIntervalSince(start), created: start)
    }

    /// The second model's run and scores, compared with the first's word by word for every method.
    private func compare(
        _ request: ExplanationRequest, first: (run: PromptRun, target: GradientTarget), with other: Other,
        workers: Int, shouldContinue: @escaping @Sendable () -> Bool
    ) throws -> ModelComparison {
        let runner = PromptRunner(model: other.model, tokenizer: other.tokenizer, maxTokens: maxTokens)
        let ids: [Int]
        do { ids = try runner.tokenize(request.prompt) } catch {
            throw EvaluationError(field: "compare_model", "cannot encode the prompt: \(error.description)")
        }
        guard ids.count >= 2 else {
            throw EvaluationError(field: "compare_model", "the prompt is one token for \(other.name): nothing to rank")
        }
        let q = ids.count - 1
        let run = try runner.run(ids: ids, options: ForwardOptions(logitPositions: [q], workers: workers))
        var own = request
        own.position = -1
        let target: GradientTarget
        do {
            target = try resolveTarget(own, position: q, run: run, model: other.model, tokenizer: other.tokenizer)
        } catch let error as EvaluationError {
            throw EvaluationError(field: "compare_model", "\(other.name): \(error.message)")
        }
        let parameters = request.parameters
        let mine = try ExplanationEvaluation.scores(
            model: model, trace: first.run.trace, target: first.target, parameters: parameters, workers: workers,
            shouldContinue: shouldContinue)
        let theirs = try ExplanationEvaluation.scores(
            model: other.model, trace: run.trace, target: target, parameters: parameters, workers: workers,
            shouldContinue: shouldContinue)
        let spans = (
            tokenizer.characterSpans(of: first.run.ids, in: request.prompt),
            other.tokenizer.characterSpans(of: ids, in: request.prompt)
        )
        func side(_ name: String, _ tok: any Tokenizer, _ run: PromptRun, _ target: GradientTarget)
            -> ModelComparison.Side
        {
            let top = NextTokenPrediction.top(run.trace.logits(at: target.position) ?? [], k: 5)
            return ModelComparison.Side(
                modelName: name, displays: run.ids.map { tok.displayString(for: $0) },
                targetText: tok.decode([target.token]), predictions: top,
                predictionTexts: top.map { tok.decode([$0.id]) })
        }
        return ModelComparison(
            text: request.prompt,
            sides: (
                side(modelName, tokenizer, first.run, first.target), side(other.name, other.tokenizer, run, target)
            ), methods: parameters.methods,
            disagreements: parameters.methods.map {
                ModelDisagreement(text: request.prompt, spans: spans, scores: (mine[$0]!, theirs[$0]!))
            })
    }

    /// The target of `request` at position `q` of `run`.
    private func resolveTarget(
        _ request: ExplanationRequest, position q: Int, run: PromptRun, model: DecoderModel, tokenizer: any Tokenizer
    ) throws -> GradientTarget {
        let V = model.info.vocabSize
        let logits = { () throws -> ArraySlice<Float> in run.trace.logits(at: q)! }
        let token: Int
        do { token = try request.target.resolve(tokenizer: tokenizer, vocabSize: V, logits: logits) } catch {
            throw EvaluationError(field: "target", "\(error)")
        }
        var contrast: Int?
        if let spec = request.contrast {
            do { contrast = try spec.resolve(tokenizer: tokenizer, vocabSize: V, logits: logits) } catch {
                throw EvaluationError(field: "contrast", "\(error)")
            }
        }
        let target = GradientTarget(position: q, token: token, objective: request.objective, contrast: contrast)
        do { try target.validate(tokens: run.ids.count, vocabSize: V) } catch {
            throw EvaluationError(field: contrast == nil ? "target" : "contrast", "\(error)")
        }
        return target
    }
}
