import Foundation

/// A parsed JSON object (such as a Hugging Face `config.json`) with typed getters whose errors name the file and key.
///
/// Architectures declare what they read (`try config.int("n_layer")`), so a missing or ill-typed value is reported as
/// `config.json: key "n_layer" must be an integer, found "twelve"` rather than a generic decoding failure.
public struct JSONConfig: Sendable {
    /// The object's members.
    public let values: [String: JSONValue]
    /// Where the values came from (used in error messages).
    public let path: String

    /// Wraps an already parsed object.
    public init(values: [String: JSONValue], path: String) {
        self.values = values
        self.path = path
    }

    /// Parses `data` as a JSON object.
    public init(data: Data, path: String) throws {
        guard case .object(let object) = try JSONValue.parse(data, path: path) else {
            throw ModelFormatError(path: path, "expected a JSON object at the top level")
        }
        self.init(values: object, path: path)
    }

    /// Reads and parses the file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFormatError(path: url.path, "cannot read file (\(error.localizedDescription))")
        }
        try self.init(data: data, path: url.path)
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool {
        guard let v = values[key] else { return false }
        return v != .null
    }

    /// All keys present.
    public var keys: [String] { values.keys.sorted() }

    private func error(_ key: String, _ expected: String) -> ModelFormatError {
        ModelFormatError(path: path, "key \"\(key)\" must be \(expected), found \(values[key]?.summary ?? "nothing")")
    }

    /// A required integer.
    public func int(_ key: String) throws -> Int {
        guard case .number(let n)? = values[key], n == n.rounded(), abs(n) < 1e15 else {
            throw error(key, "an integer")
        }
        return Int(n)
    }

    /// An optional integer (absent or null → `fallback`; present with another type → error).
    public func int(_ key: String, default fallback: Int?) throws -> Int? {
        has(key) ? try int(key) : fallback
    }

    /// A required positive integer.
    public func positiveInt(_ key: String) throws -> Int {
        let v = try int(key)
        guard v > 0 else { throw ModelFormatError(path: path, "key \"\(key)\" must be positive, found \(v)") }
        return v
    }

    /// A required number.
    public func double(_ key: String) throws -> Double {
        guard case .number(let n)? = values[key] else { throw error(key, "a number") }
        return n
    }

    /// An optional number.
    public func double(_ key: String, default fallback: Double) throws -> Double {
        has(key) ? try double(key) : fallback
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard case .string(let s)? = values[key] else { throw error(key, "a string") }
        return s
    }

    /// An optional string.
    public func string(_ key: String, default fallback: String?) throws -> String? {
        has(key) ? try string(key) : fallback
    }

    /// An optional boolean.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard has(key) else { return fallback }
        guard case .bool(let b)? = values[key] else { throw error(key, "true or false") }
        return b
    }

    /// An array of strings (absent → nil).
    public func strings(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        guard case .array(let a)? = values[key] else { throw error(key, "an array of strings") }
        return try a.map { element in
            guard case .string(let s) = element else { throw error(key, "an array of strings") }
            return s
        }
    }

    /// A nested object (absent or null → nil), whose errors name `key` in the path.
    public func object(_ key: String) throws -> JSONConfig? {
        guard has(key) else { return nil }
        guard case .object(let o)? = values[key] else { throw error(key, "an object") }
        return JSONConfig(values: o, path: "\(path) (\(key))")
    }
}
