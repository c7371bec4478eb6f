import Foundation
import JSON

/// Parses and validates the body of `POST /api/runs`: `{"model": name (optional: the default), "prompt": text,
/// "options": {"top_k": 1…50}}`, or instead of the prompt `"token_ids": [ids]` (the tokens to run as they are, a
/// generated continuation's) with `"generated_from": position` optional. Unknown keys are errors.
enum RunRequestParser {
    static func parse(_ body: Data, configuration: ServerConfiguration) throws -> RunService.RunRequest {
        let json = try JSONBody(
            body, known: ["model", "prompt", "options", "token_ids", "generated_from"],
            example: "{\"prompt\": \"The capital of France is\"}")
        let model = try json.model(configuration)
        var topK = 5
        if let value = json["options"] {
            let options = try JSONBody(object: value, known: ["top_k"], key: "options")
            topK = try options.int("top_k", in: 1...50) ?? topK
        }
        if let ids = try json.ints("token_ids") {
            guard json["prompt"] == nil else {
                throw ServiceError.badParameter("token_ids", "send either a prompt or token_ids, not both")
            }
            guard !ids.isEmpty else { throw ServiceError.badParameter("token_ids", "must hold at least one token id") }
            guard ids.count <= configuration.limits.maxPromptTokens else {
                throw ServiceError.tooLarge(
                    "token_ids has \(ids.count) tokens; this server allows at most "
                        + "\(configuration.limits.maxPromptTokens) (limits.max_prompt_tokens)")
            }
            var request = RunService.RunRequest(model: model, prompt: "", topK: topK)
            request.tokenIDs = ids
            request.generatedFrom = try json.int("generated_from", in: 1...max(1, ids.count - 1))
            return request
        }
        guard json["generated_from"] == nil else {
            throw ServiceError.badParameter("generated_from", "goes with token_ids only")
        }
        let prompt = try json.prompt(configuration, required: "the text to run (or token_ids)")
        return RunService.RunRequest(model: model, prompt: prompt, topK: topK)
    }
}
