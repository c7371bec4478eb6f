import Foundation
import JSON

/// A JSON request body as an object whose keys are checked against the known ones, with typed accessors that throw
/// `ServiceError.badParameter` naming the key and what is wrong.
struct JSONBody {
    let members: [String: JSONValue]
    /// The enclosing key of a nested object ("" at the top), prefixed to the keys in errors.
    var prefix = ""

    func name(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    init(_ body: Data, known: [String], example: String) throws {
        guard !body.isEmpty else { throw ServiceError.badParameter("body", "send a JSON object like \(example)") }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(body)) } catch {
            throw ServiceError.badParameter("body", "not valid JSON: \(error)")
        }
        guard let list = value.objectMembers else { throw ServiceError.badParameter("body", "must be a JSON object") }
        var members: [String: JSONValue] = [:]
        for member in list {
            guard known.contains(member.key) else {
                throw ServiceError.badParameter(member.key, "unknown key (known: \(known.joined(separator: ", ")))")
            }
            members[member.key] = member.value
        }
        self.members = members
    }

    /// A nested object (`value` of key `key`), checked the same way; errors name `key.member`.
    init(object value: JSONValue, known: [String], key: String) throws {
        guard let list = value.objectMembers else { throw ServiceError.badParameter(key, "must be an object") }
        var members: [String: JSONValue] = [:]
        for member in list {
            guard known.contains(member.key) else {
                throw ServiceError.badParameter("\(key).\(member.key)",
                                                "unknown option (known: \(known.joined(separator: ", ")))")
            }
            members[member.key] = member.value
        }
        self.members = members
        prefix = key
    }

    func string(_ key: String) throws -> String? {
        guard let value = members[key] else { return nil }
        guard let text = value.stringValue else { throw ServiceError.badParameter(name(key), "must be a string") }
        return text
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = members[key] else { return nil }
        guard let items = value.arrayValue else { throw ServiceError.badParameter(name(key), "must be an array of strings") }
        return try items.enumerated().map { i, item in
            guard let text = item.stringValue else {
                throw ServiceError.badParameter(name(key), "item \(i + 1) is \(item.typeName), not a string")
            }
            return text
        }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = members[key] else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            throw ServiceError.badParameter(name(key), "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = members[key] else { return nil }
        guard let flag = value.boolValue else { throw ServiceError.badParameter(name(key), "must be true or false") }
        return flag
    }

    /// The `model` key: a configured model, or the default.
    func model(_ configuration: ServerConfiguration) throws -> String {
        guard let name = try string("model") else { return configuration.catalog.defaultModel ?? "" }
        guard configuration.catalog.entry(name) != nil else {
            throw ServiceError.badParameter("model", "no model named \"\(name)\" (configured: "
                + configuration.catalog.entries.map(\.name).joined(separator: ", ") + ")")
        }
        return name
    }
}
