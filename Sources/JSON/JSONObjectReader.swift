/// A JSON object read by key, whose typed reads throw `JSONReadError`s naming the source and the key path: the one
/// reader behind model configs, tokenizer files, the server configuration and request bodies.
///
/// Optional reads (`default:`) treat an absent key and `null` alike; a value of another type is an error, never
/// silently the default. A repeated key resolves to its last value, as in Python's `json`.
public struct JSONObjectReader: Sendable {
    /// The object's members in file order.
    public let members: [JSONMember]
    /// Where the JSON came from (a file path, or "body").
    public let source: String
    /// The keys leading from the top-level object to this one.
    public let keyPath: [String]

    public init(members: [JSONMember], source: String, keyPath: [String] = []) {
        self.members = members
        self.source = source
        self.keyPath = keyPath
    }

    /// `value` as an object; anything else is an error naming `keyPath`.
    public init(_ value: JSONValue, source: String, keyPath: [String] = []) throws(JSONReadError) {
        guard case .object(let members) = value else {
            throw JSONReadError(
                source: source, keyPath: keyPath,
                problem: keyPath.isEmpty
                    ? "expected a JSON object at the top level"
                    : "must be an object, found \(value.summary)")
        }
        self.init(members: members, source: source, keyPath: keyPath)
    }

    /// Parses `bytes` as a JSON document whose top level is an object.
    public init(parsing bytes: [UInt8], source: String) throws(JSONReadError) {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw JSONReadError(source: source, syntax: error)
        }
        try self.init(root, source: source)
    }

    /// The value of `key`, if present (null included).
    public subscript(key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool {
        guard let value = self[key] else { return false }
        return !value.isNull
    }

    /// All keys present, sorted.
    public var keys: [String] { Set(members.map(\.key)).sorted() }

    /// An error about the value of `key`.
    public func error(_ key: String, _ problem: String) -> JSONReadError {
        JSONReadError(source: source, keyPath: keyPath + [key], problem: problem)
    }

    /// Throws for the first key not in `known`, listing the known ones.
    public func rejectUnknownKeys(_ known: [String], noun: String = "key") throws(JSONReadError) {
        for member in members where !known.contains(member.key) {
            throw error(member.key, "unknown \(noun) (known: \(known.joined(separator: ", ")))")
        }
    }

    private func mismatch(_ key: String, _ expected: String) -> JSONReadError {
        error(key, "must be \(expected), found \(self[key]?.summary ?? "nothing")")
    }
}

// MARK: typed reads

extension JSONObjectReader {
    /// A required integer (an integral number below 10¹⁵ in magnitude).
    public func int(_ key: String) throws(JSONReadError) -> Int {
        guard case .number(let n)? = self[key], n == n.rounded(), abs(n) < 1e15 else {
            throw mismatch(key, "an integer")
        }
        return Int(n)
    }

    /// An optional integer.
    public func int(_ key: String, default fallback: Int?) throws(JSONReadError) -> Int? {
        has(key) ? try int(key) : fallback
    }

    /// A required number.
    public func double(_ key: String) throws(JSONReadError) -> Double {
        guard case .number(let n)? = self[key] else { throw mismatch(key, "a number") }
        return n
    }

    /// An optional number.
    public func double(_ key: String, default fallback: Double) throws(JSONReadError) -> Double {
        has(key) ? try double(key) : fallback
    }

    /// A required string.
    public func string(_ key: String) throws(JSONReadError) -> String {
        guard case .string(let s)? = self[key] else { throw mismatch(key, "a string") }
        return s
    }

    /// An optional string.
    public func string(_ key: String, default fallback: String?) throws(JSONReadError) -> String? {
        has(key) ? try string(key) : fallback
    }

    /// An optional boolean.
    public func bool(_ key: String, default fallback: Bool?) throws(JSONReadError) -> Bool? {
        guard has(key) else { return fallback }
        guard case .bool(let b)? = self[key] else { throw mismatch(key, "true or false") }
        return b
    }

    /// An optional array of strings (absent or null → nil).
    public func strings(_ key: String) throws(JSONReadError) -> [String]? {
        guard has(key) else { return nil }
        guard case .array(let items)? = self[key] else { throw mismatch(key, "an array of strings") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw error(key, "must be an array of strings, but item \(index + 1) is \(item.typeName)")
            }
            result.append(s)
        }
        return result
    }

    /// An optional nested object (absent or null → nil), whose errors name `key` in their key path.
    public func object(_ key: String) throws(JSONReadError) -> JSONObjectReader? {
        guard has(key) else { return nil }
        guard case .object(let members)? = self[key] else { throw mismatch(key, "an object") }
        return JSONObjectReader(members: members, source: source, keyPath: keyPath + [key])
    }
}
