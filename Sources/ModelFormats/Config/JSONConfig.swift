import Foundation
public import JSON

/// A parsed JSON object (such as a Hugging Face `config.json`) with typed getters whose errors name the file and key:
/// the shared `JSONObjectReader`, with its errors as `ModelFormatError`s and the bounds of model dimensions.
///
/// Architectures declare what they read (`try config.int("n_layer")`), so a missing or ill-typed value is reported as
/// `config.json: key "n_layer" must be an integer, found "twelve"` rather than a generic decoding failure.
public struct JSONConfig: Sendable {
    /// The reader underneath (its key path names nested objects).
    public let reader: JSONObjectReader

    public init(_ reader: JSONObjectReader) { self.reader = reader }

    /// Wraps an already parsed object's members.
    public init(members: [JSONMember], path: String) {
        reader = JSONObjectReader(members: members, source: path)
    }

    /// Parses `data` as a JSON object.
    public init(data: Data, path: String) throws {
        reader = try Self.read { () throws(JSONReadError) in try JSONObjectReader(parsing: Array(data), source: path) }
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

    /// The object's members in file order; a repeated key resolves to its last value, as in Python's `json`.
    public var members: [JSONMember] { reader.members }
    /// Where the values came from, with the nested keys in parentheses (used in error messages).
    public var path: String { reader.source + reader.keyPath.map { " (\($0))" }.joined() }
    /// The value of `key`, if present.
    public subscript(key: String) -> JSONValue? { reader[key] }
    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool { reader.has(key) }
    /// All keys present, sorted.
    public var keys: [String] { reader.keys }

    /// Runs a read, reporting its failure as a `ModelFormatError`.
    static func read<T>(_ body: () throws(JSONReadError) -> T) throws(ModelFormatError) -> T {
        do { return try body() } catch { throw ModelFormatError(error) }
    }

    public func int(_ key: String) throws -> Int { try Self.read { () throws(JSONReadError) in try reader.int(key) } }

    /// An optional integer (absent or null → `fallback`; present with another type → error).
    public func int(_ key: String, default fallback: Int?) throws -> Int? {
        try Self.read { () throws(JSONReadError) in try reader.int(key, default: fallback) }
    }

    public func double(_ key: String) throws -> Double {
        try Self.read { () throws(JSONReadError) in try reader.double(key) }
    }

    public func double(_ key: String, default fallback: Double) throws -> Double {
        try Self.read { () throws(JSONReadError) in try reader.double(key, default: fallback) }
    }

    public func string(_ key: String) throws -> String {
        try Self.read { () throws(JSONReadError) in try reader.string(key) }
    }

    public func string(_ key: String, default fallback: String?) throws -> String? {
        try Self.read { () throws(JSONReadError) in try reader.string(key, default: fallback) }
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        try Self.read { () throws(JSONReadError) in try reader.bool(key, default: fallback)! }
    }

    /// An array of strings (absent → nil).
    public func strings(_ key: String) throws -> [String]? {
        try Self.read { () throws(JSONReadError) in try reader.strings(key) }
    }

    /// A nested object (absent or null → nil), whose errors name `key` in the path.
    public func object(_ key: String) throws -> JSONConfig? {
        try Self.read { () throws(JSONReadError) in try reader.object(key) }.map(JSONConfig.init)
    }

    /// Largest dimension a model config may declare (2³¹): products of two dimensions then stay far from `Int`
    /// overflow, and no real model comes near it.
    public static let maximumDimension = 1 << 31

    /// A required positive integer no larger than `maximumDimension` (a size or count).
    public func positiveInt(_ key: String) throws -> Int {
        let v = try int(key)
        guard v > 0 else { throw ModelFormatError(reader.error(key, "must be positive, found \(v)")) }
        guard v <= Self.maximumDimension else {
            throw ModelFormatError(reader.error(key, "is \(v), larger than any supported model dimension"))
        }
        return v
    }

    /// An optional positive integer (absent or null → `fallback`).
    public func positiveInt(_ key: String, default fallback: Int) throws -> Int {
        has(key) ? try positiveInt(key) : fallback
    }
}

extension ModelFormatError {
    /// A JSON shape error as a format error: the file (with nested keys in parentheses) and `key "k" …`.
    public init(_ error: JSONReadError) {
        guard let last = error.keyPath.last else {
            self.init(path: error.source, error.syntax.map { "not valid JSON (\($0))" } ?? error.problem)
            return
        }
        self.init(
            path: error.source + error.keyPath.dropLast().map { " (\($0))" }.joined(),
            "key \"\(last)\" \(error.problem)")
    }
}
