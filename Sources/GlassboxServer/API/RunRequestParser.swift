import Foundation
import JSON

/// Parses and validates the body of `POST /api/runs`: `{"model": name (optional: the default), "prompt": text,
/// "options": {"top_k": 1…50}}`. Unknown keys are errors.
enum RunRequestParser {
    static func parse(_ body: Data, configuration: ServerConfiguration) throws -> RunService.RunRequest {
        guard !body.isEmpty else {
            throw ServiceError.badParameter("body", "send a JSON object like {\"prompt\": \"The capital of France is\"}")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(body)) } catch {
            throw ServiceError.badParameter("body", "not valid JSON: \(error)")
        }
        guard case .object(let members) = value else { throw ServiceError.badParameter("body", "must be a JSON object") }
        var model = configuration.catalog.defaultModel ?? "", prompt: String? = nil, topK = 5
        for member in members {
            switch (member.key, member.value) {
            case ("model", .string(let name)):
                guard configuration.catalog.entry(name) != nil else {
                    throw ServiceError.badParameter("model", "no model named \"\(name)\" (configured: "
                        + configuration.catalog.entries.map(\.name).joined(separator: ", ") + ")")
                }
                model = name
            case ("prompt", .string(let text)): prompt = text
            case ("options", .object(let options)):
                for option in options {
                    switch (option.key, option.value) {
                    case ("top_k", .number(let k)):
                        guard let value = Int(exactly: k), (1...50).contains(value) else {
                            throw ServiceError.badParameter("options.top_k", "must be an integer from 1 to 50")
                        }
                        topK = value
                    default:
                        throw ServiceError.badParameter("options.\(option.key)", "unknown option (known: top_k)")
                    }
                }
            case ("model", _), ("prompt", _), ("options", _):
                throw ServiceError.badParameter(member.key, member.key == "options" ? "must be an object" : "must be a string")
            default:
                throw ServiceError.badParameter(member.key, "unknown key (known: model, prompt, options)")
            }
        }
        guard let prompt, !prompt.isEmpty else { throw ServiceError.badParameter("prompt", "required: the text to run") }
        guard prompt.utf8.count <= configuration.limits.maxPromptBytes else {
            throw ServiceError.tooLarge("the prompt has \(prompt.utf8.count) bytes; this server allows at most "
                                        + "\(configuration.limits.maxPromptBytes)")
        }
        return RunService.RunRequest(model: model, prompt: prompt, topK: topK)
    }
}
