import Foundation
import JSON

/// A JSON request body: the shared `JSONObjectReader` over an object whose keys are checked against the known ones,
/// its errors as `ServiceError.badParameter` naming the key (`options.top_k`) and what is wrong.
struct JSONBody {
    let reader: JSONObjectReader

    init(_ body: Data, known: [String], example: String) throws {
        guard !body.isEmpty else { throw ServiceError.badParameter("body", "send a JSON object like \(example)") }
        reader = try Self.read { () throws(JSONReadError) in try JSONObjectReader(parsing: Array(body), source: "body")
        }
        try Self.read { () throws(JSONReadError) in try reader.rejectUnknownKeys(known) }
    }

    /// The nested object under `key`, checked the same way; errors name `key.member`.
    init(object value: JSONValue, known: [String], key: String) throws {
        reader = try Self.read { () throws(JSONReadError) in
            try JSONObjectReader(value, source: "body", keyPath: [key])
        }
        try Self.read { () throws(JSONReadError) in try reader.rejectUnknownKeys(known, noun: "option") }
    }

    /// Runs a read, reporting its failure as a bad parameter.
    private static func read<T>(_ body: () throws(JSONReadError) -> T) throws(ServiceError) -> T {
        do { return try body() } catch {
            throw ServiceError.badParameter(error.keyPath.isEmpty ? "body" : error.key, error.problem)
        }
    }

    /// The value of `key`, if present.
    subscript(key: String) -> JSONValue? { reader[key] }

    func string(_ key: String) throws -> String? {
        try Self.read { () throws(JSONReadError) in try reader.string(key, default: nil) }
    }

    func strings(_ key: String) throws -> [String]? {
        try Self.read { () throws(JSONReadError) in try reader.strings(key) }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard reader.has(key) else { return nil }
        guard let number = try? reader.int(key), range.contains(number) else {
            throw ServiceError.badParameter(
                (reader.keyPath + [key]).joined(separator: "."),
                "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func double(_ key: String) throws -> Double? {
        guard reader.has(key) else { return nil }
        return try Self.read { () throws(JSONReadError) in try reader.double(key) }
    }

    /// An array of integers (absent → nil).
    func ints(_ key: String) throws -> [Int]? {
        guard let value = reader[key] else { return nil }
        guard let items = value.arrayValue else {
            throw ServiceError.badParameter(key, "must be an array of integers")
        }
        return try items.enumerated().map { index, item in
            guard let number = item.intValue else {
                throw ServiceError.badParameter("\(key)[\(index)]", "must be an integer")
            }
            return number
        }
    }

    func bool(_ key: String) throws -> Bool? {
        try Self.read { () throws(JSONReadError) in try reader.bool(key, default: nil) }
    }

    /// The `prompt` key: required and not empty (`required` says what it is for), at most `limits.max_prompt_bytes`
    /// bytes (413 beyond).
    func prompt(_ configuration: ServerConfiguration, required: String) throws -> String {
        guard let prompt = try string("prompt"), !prompt.isEmpty else {
            throw ServiceError.badParameter("prompt", "required: \(required)")
        }
        guard prompt.utf8.count <= configuration.limits.maxPromptBytes else {
            throw ServiceError.tooLarge(
                "the prompt has \(prompt.utf8.count) bytes; this server allows at most "
                    + "\(configuration.limits.maxPromptBytes)")
        }
        return prompt
    }

    /// The `model` key: a configured model, or the default.
    func model(_ configuration: ServerConfiguration) throws -> String {
        guard let name = try string("model") else { return configuration.catalog.defaultModel ?? "" }
        guard configuration.catalog.entry(name) != nil else {
            throw ServiceError.badParameter(
                "model",
                "no model named \"\(name)\" (configured: "
                    + configuration.catalog.entries.map(\.name).joined(separator: ", ") + ")")
        }
        return name
    }
}
