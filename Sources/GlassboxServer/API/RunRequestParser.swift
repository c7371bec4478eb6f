import Foundation
import JSON

/// Parses and validates the body of `POST /api/runs`: `{"model": name (optional: the default), "prompt": text,
/// "options": {"top_k": 1…50}}`. Unknown keys are errors.
enum RunRequestParser {
    static func parse(_ body: Data, configuration: ServerConfiguration) throws -> RunService.RunRequest {
        let json = try JSONBody(
            body, known: ["model", "prompt", "options"],
            example: "{\"prompt\": \"The capital of France is\"}")
        let model = try json.model(configuration)
        var topK = 5
        if let value = json["options"] {
            let options = try JSONBody(object: value, known: ["top_k"], key: "options")
            topK = try options.int("top_k", in: 1...50) ?? topK
        }
        guard let prompt = try json.string("prompt"), !prompt.isEmpty else {
            throw ServiceError.badParameter("prompt", "required: the text to run")
        }
        guard prompt.utf8.count <= configuration.limits.maxPromptBytes else {
            throw ServiceError.tooLarge(
                "the prompt has \(prompt.utf8.count) bytes; this server allows at most "
                    + "\(configuration.limits.maxPromptBytes)")
        }
        return RunService.RunRequest(model: model, prompt: prompt, topK: topK)
    }
}
