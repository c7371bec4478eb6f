import Analysis
import Foundation
import HTTP
import JSON
import Reports
import Transformer

/// `POST /api/explanations` (which explainer to trust for one prediction, `docs/analyses.md` §7, as a job),
/// `GET /api/explanations/{id}` (progress, then the explanation report as `glassbox explain --json` prints it),
/// `GET /api/explanations/{id}/html` (the standalone page) and `DELETE /api/explanations/{id}` (cancel). The
/// request is checked and its prompt run on the run queue first, so bad input is a 400 naming the field; the
/// evaluation then runs on the report queue, one at a time beside the runs. Behind a proxy routing by id,
/// `POST /api/explanations` answers 307 to `POST /api/explanations/e<64 hex><16 hex>`, like reports.
extension GlassboxAPI {
    /// Explanation jobs running or waiting at most.
    static let maxLiveExplanations = 5

    /// A checked `POST /api/explanations` body.
    struct ExplanationBody: Sendable {
        let model: String
        /// With the zero baseline until `baseline` is resolved for the model (`resolved(for:)`).
        var request: ExplanationRequest
        /// `zero`, `pad`, `unk` or a token id.
        let baseline: String
        let compareModel: String?

        /// The request with its baseline resolved in `model`'s vocabulary (`pad` and `unk` to their ids).
        func resolved(for model: LoadedModel) throws -> ExplanationRequest {
            var request = request
            do {
                request.parameters.baseline = try AttributionBaseline(
                    parsing: baseline, vocabSize: model.model.info.vocabSize, padTokenID: model.tokenizer.padTokenID,
                    unkTokenID: model.tokenizer.unkTokenID)
            } catch { throw ServiceError.badParameter("baseline", "\(error)") }
            return request
        }
    }

    /// `id`: the id the job must have (`POST /api/explanations/{id}`); nil: a new one, or, behind a proxy routing
    /// by id, a 307 to `POST /api/explanations/{new id}` once the request is known to be good.
    func createExplanation(
        _ request: HTTPRequest, id: String? = nil, _ respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        do {
            try QueryParameters(request.query).allow([])
            try checkNewJobID(id, in: explanations, noun: "explanation")
            let body = try Self.parseExplanation(request.body, configuration: service.configuration)
            let loaded = try service.registry.model(body.model)
            let explanation = try body.resolved(for: loaded)
            let other = try body.compareModel.map { name in
                let second = try service.registry.model(name)
                return ExplanationBuilder.Other(name: name, model: second.model, tokenizer: second.tokenizer)
            }
            let limits = service.configuration.limits
            let builder = ExplanationBuilder(
                modelName: body.model, model: loaded.model, tokenizer: loaded.tokenizer,
                maxTokens: min(limits.maxPromptTokens, limits.maxExplanationTokens))
            if id == nil && service.configuration.routeByID {
                // The prompt's run and the evaluation belong on the instance the job's id hashes to: the request
                // is checked in full there.
                let id = explanations.newID()
                return respond(Self.redirect(to: "/api/explanations/" + id, id: id))
            }
            let workers = service.configuration.threads
            let accepted = service.compute.submit { [self] in
                do {
                    let prepared = try builder.prepare(explanation, workers: workers)
                    let n = prepared.run.ids.count
                    let detail = ExplanationJobDetail(model: body.model, tokens: n, stage: .scores)
                    let total = ExplanationEvaluation.passCount(
                        explanation.parameters, tokens: n, variant: prepared.variant != nil)
                    let started = explanations.start(
                        id: id, detail: detail, total: total, compute: reportQueue, maxLive: Self.maxLiveExplanations
                    ) { shouldContinue, progress in
                        let report = try builder.build(
                            explanation, prepared: prepared, compareWith: other, workers: workers,
                            shouldContinue: shouldContinue
                        ) { step in
                            progress(step.done, ExplanationJobDetail(model: body.model, tokens: n, stage: step.stage))
                        }
                        return ReportJobOutput(json: ExplanationJSON.data(report), html: ExplanationHTML.page(report))
                    }
                    guard let started else {
                        throw ServiceError.busy(
                            "\(Self.maxLiveExplanations) explanations are already running or waiting: try again "
                                + "once one is done", retryAfter: 30)
                    }
                    respond(.json(202, Self.explanationJSON(started)))
                } catch {
                    respond(Self.response(ServiceError(error)))
                }
            }
            guard accepted else {
                throw ServiceError.busy("the server is busy: try the explanation again shortly", retryAfter: 2)
            }
        } catch {
            respond(Self.response(ServiceError(error)))
        }
    }

    func explanationStatus(_ id: String, _ request: HTTPRequest, html: Bool, cancel: Bool = false) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            guard let job = cancel ? explanations.cancel(id) : explanations.snapshot(id) else {
                throw ServiceError.notFound("explanation", "no explanation with id \(id)")
            }
            guard html else { return .json(200, Self.explanationJSON(job)) }
            guard let page = job.output?.html else {
                throw ServiceError.conflict(
                    "explanation \(id) is \(job.status.rawValue): its HTML exists once it is done")
            }
            return Self.standalonePage(page, filename: "glassbox-explanation-\(id).html")
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    /// The body: `{"model", "prompt", "target", "position", "objective", "contrast", "methods", "steps",
    /// "baseline", "variant", "noise_samples", "sigma", "top_k", "compare_model"}`; unknown keys are errors.
    static func parseExplanation(_ data: Data, configuration: ServerConfiguration) throws -> ExplanationBody {
        let body = try JSONBody(
            data,
            known: [
                "model", "prompt", "target", "position", "objective", "contrast", "methods", "steps", "baseline",
                "variant", "noise_samples", "sigma", "top_k", "compare_model"
            ],
            example: "{\"prompt\": \"The capital of France is\", \"methods\": [\"ig\", \"occlusion\"]}")
        let model = try body.model(configuration)
        let prompt = try body.prompt(configuration, required: "the text whose next token is explained")
        let methods: [EvaluationMethod]
        if let names = try body.strings("methods") {
            methods = try EvaluationMethod.parseList(names.joined(separator: ","))
            if names.contains(where: { $0.contains(",") }) {
                throw ServiceError.badParameter("methods", "give one method name per array element")
            }
        } else {
            methods = EvaluationMethod.allCases
        }
        let objectiveName = try body.string("objective") ?? "logit"
        guard let objective = GradientTarget.Objective(rawValue: objectiveName) else {
            throw ServiceError.badParameter("objective", "must be logit or logprob, got \"\(objectiveName)\"")
        }
        let contrast = try tokenSpec(body, "contrast")
        if contrast == .top { throw ServiceError.badParameter("contrast", "must be a token id or text, not top") }
        let noiseSamples = try body.int("noise_samples", in: 0...64) ?? 3
        let sigma = try body.double("sigma") ?? 0.01
        guard sigma > 0, sigma <= EvaluationParameters.sigmaRange.upperBound else {
            throw ServiceError.badParameter(
                "sigma", "must be above 0 and at most 10 (a multiple of the mean embedding norm), not \(sigma)")
        }
        let parameters = EvaluationParameters(
            methods: methods, steps: try body.int("steps", in: AttributionParameters.stepRange) ?? 32,
            noiseSamples: noiseSamples, sigma: sigma, topK: try body.int("top_k", in: 1...Int.max))
        let variant = try body.string("variant")
        if variant?.isEmpty == true {
            throw ServiceError.badParameter(
                "variant", "is empty: give a prompt with the same token count or leave it out")
        }
        let compareModel = try body.string("compare_model")
        if let compareModel, configuration.catalog.entry(compareModel) == nil {
            throw ServiceError.badParameter(
                "compare_model",
                "no model named \"\(compareModel)\" (configured: "
                    + configuration.catalog.entries.map(\.name).joined(separator: ", ") + ")")
        }
        let request = ExplanationRequest(
            prompt: prompt, target: try tokenSpec(body, "target") ?? .top,
            position: try body.int("position", in: Int(Int32.min)...Int(Int32.max)) ?? -1, objective: objective,
            contrast: contrast, parameters: parameters, variant: variant)
        let baseline: String
        switch body["baseline"] {
        case nil: baseline = "zero"
        case let value?:
            if let id = value.intValue {
                baseline = String(id)
            } else if let text = value.stringValue, ["zero", "pad", "unk"].contains(text) || Int(text) != nil {
                baseline = text
            } else {
                throw ServiceError.badParameter("baseline", "must be \"zero\", \"pad\", \"unk\" or a token id")
            }
        }
        return ExplanationBody(model: model, request: request, baseline: baseline, compareModel: compareModel)
    }

    /// `"top"`, a token id (a JSON integer or its decimal text) or a one-token text.
    private static func tokenSpec(_ body: JSONBody, _ key: String) throws -> TargetTokenSpec? {
        guard let value = body[key] else { return nil }
        if let id = value.intValue { return .id(id) }
        guard let text = value.stringValue, !text.isEmpty else {
            throw ServiceError.badParameter(key, "must be \"top\", a token id or a one-token text")
        }
        return TargetTokenSpec(text)
    }

    static func explanationJSON(_ job: ExplanationJobs.Snapshot) -> Data {
        var w = JSONWriter(capacity: 256 + (job.output?.json.count ?? 0))
        w.object { o in
            o.field("id", job.id)
            o.field("model", job.detail.model)
            o.field("tokens", job.detail.tokens)
            o.field("status", job.status.rawValue)
            o.field("progress") { w in
                w.object { p in
                    p.field("done", job.done)
                    p.field("total", job.total)
                    p.field("stage", job.detail.stage.rawValue)
                }
            }
            o.field("error") { w in job.error.map { w.string($0) } ?? w.raw("null") }
            o.field("html") { w in job.output == nil ? w.raw("null") : w.string("/api/explanations/\(job.id)/html") }
            o.field("explanation") { w in
                job.output.map { w.raw(String(decoding: $0.json, as: UTF8.self)) } ?? w.raw("null")
            }
        }
        return w.data
    }
}
