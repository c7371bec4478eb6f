import Analysis
import Foundation
import HTTP
import Reports

/// `POST /api/compare` with `models`: two configured models on one text (`TwoModelComparison`), on the compute queue.
extension GlassboxAPI {
    /// The body `{"models": [a, b], "prompt", "top_k"}`; the prompt-comparison keys are refused with it.
    func compareModels(_ body: JSONBody, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        do {
            for key in ["model", "kind", "prompts", "labels", "templates", "slot", "targets", "metrics"]
            where body[key] != nil {
                throw ServiceError.badParameter(
                    key, "not with models: a model comparison takes models, prompt and top_k")
            }
            let configuration = service.configuration
            guard let names = try body.strings("models"), names.count == 2 else {
                throw ServiceError.badParameter("models", "give exactly two configured model names")
            }
            for name in names where configuration.catalog.entry(name) == nil {
                throw ServiceError.badParameter(
                    "models",
                    "no model named \"\(name)\" (configured: "
                        + configuration.catalog.entries.map(\.name).joined(separator: ", ") + ")")
            }
            let prompt = try body.prompt(configuration, required: "the text both models read")
            let topK = try body.int("top_k", in: 1...50) ?? 10
            let limits = configuration.limits, workers = configuration.threads
            let registry = service.registry
            let accepted = service.compute.submit {
                do {
                    let inputs = try names.map { name -> TwoModelComparison.Input in
                        let loaded = try registry.model(name)
                        return TwoModelComparison.Input(
                            name: name, model: loaded.model, tokenizer: loaded.tokenizer,
                            vocabulary: registry.vocabulary(of: loaded))
                    }
                    let comparison = try Self.reportErrors {
                        try TwoModelComparison.compare(
                            text: prompt, a: inputs[0], b: inputs[1], topK: topK,
                            maxTokens: limits.maxPromptTokens, workers: workers)
                    }
                    respond(.json(200, TwoModelComparisonJSON.data(comparison)))
                } catch {
                    respond(Self.response(ServiceError(error)))
                }
            }
            if !accepted {
                throw ServiceError.busy("the server is busy: try the comparison again shortly", retryAfter: 2)
            }
        } catch {
            respond(Self.response(ServiceError(error)))
        }
    }
}
