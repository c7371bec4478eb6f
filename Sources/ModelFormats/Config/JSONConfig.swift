import Foundation
public import JSON

/// A parsed JSON object (such as a Hugging Face `config.json`) with typed getters whose errors name the file and key.
///
/// Architectures declare what they read (`try config.int("n_layer")`), so a missing or ill-typed value is reported as
/// `config.json: key "n_layer" must be an integer, found "twelve"` rather than a generic decoding failure.
public struct JSONConfig: Sendable {
    /// The object's members in file order; a repeated key resolves to its last value, as in Python's `json`.
    public let members: [JSONMember]
    /// Where the values came from (used in error messages).
    public let path: String

    /// Wraps an already parsed object's members.
    public init(members: [JSONMember], path: String) {
        self.members = members
        self.path = path
    }

    /// Parses `data` as a JSON object.
    public init(data: Data, path: String) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw ModelFormatError(path: path, "not valid JSON (\(error))")
        }
        guard case .object(let members) = root else {
            throw ModelFormatError(path: path, "expected a JSON object at the top level")
        }
        self.init(members: members, path: path)
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

    /// The value of `key`, if present.
    public subscript(key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool {
        guard let v = self[key] else { return false }
        return v != .null
    }

    /// All keys present, sorted.
    public var keys: [String] { Set(members.map(\.key)).sorted() }

    private func error(_ key: String, _ expected: String) -> ModelFormatError {
        ModelFormatError(path: path, "key \"\(key)\" must be \(expected), found \(self[key]?.summary ?? "nothing")")
    }

    /// A required integer.
    public func int(_ key: String) throws -> Int {
        guard case .number(let n)? = self[key], n == n.rounded(), abs(n) < 1e15 else {
            throw error(key, "an integer")
        }
        return Int(n)
    }

    /// An optional integer (absent or null → `fallback`; present with another type → error).
    public func int(_ key: String, default fallback: Int?) throws -> Int? {
        has(key) ? try int(key) : fallback
    }

    /// Largest dimension a model config may declare (2³¹): products of two dimensions then stay far from `Int`
    /// overflow, and no real model comes near it.
    public static let maximumDimension = 1 << 31

    /// A required positive integer no larger than `maximumDimension` (a size or count).
    public func positiveInt(_ key: String) throws -> Int {
        let v = try int(key)
        guard v > 0 else { throw ModelFormatError(path: path, "key \"\(key)\" must be positive, found \(v)") }
        guard v <= Self.maximumDimension else {
            throw ModelFormatError(path: path, "key \"\(key)\" is \(v), larger than any supported model dimension")
        }
        return v
    }

    /// An optional positive integer (absent or null → `fallback`).
    public func positiveInt(_ key: String, default fallback: Int) throws -> Int {
        has(key) ? try positiveInt(key) : fallback
    }

    /// A required number.
    public func double(_ key: String) throws -> Double {
        guard case .number(let n)? = self[key] else { throw error(key, "a number") }
        return n
    }

    /// An optional number.
    public func double(_ key: String, default fallback: Double) throws -> Double {
        has(key) ? try double(key) : fallback
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard case .string(let s)? = self[key] else { throw error(key, "a string") }
        return s
    }

    /// An optional string.
    public func string(_ key: String, default fallback: String?) throws -> String? {
        has(key) ? try string(key) : fallback
    }

    /// An optional boolean.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard has(key) else { return fallback }
        guard case .bool(let b)? = self[key] else { throw error(key, "true or false") }
        return b
    }

    /// An array of strings (absent → nil).
    public func strings(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        guard case .array(let a)? = self[key] else { throw error(key, "an array of strings") }
        return try a.map { element in
            guard case .string(let s) = element else { throw error(key, "an array of strings") }
            return s
        }
    }

    /// A nested object (absent or null → nil), whose errors name `key` in the path.
    public func object(_ key: String) throws -> JSONConfig? {
        guard has(key) else { return nil }
        guard case .object(let o)? = self[key] else { throw error(key, "an object") }
        return JSONConfig(members: o, path: "\(path) (\(key))")
    }
}
