import Synchronization

/// Typed access to a request's query parameters, with 400 errors that name the parameter and say what is wrong.
/// Unknown parameters are errors too, so a misspelt one is not silently ignored.
///
/// Every typed read records the value it resolved to (defaults included, token positions counted from the start,
/// numbers in their shortest form), so `canonical` names the request and not its spelling: `threshold=0.04`,
/// `threshold=.04` and no threshold are one cache entry.
public struct QueryParameters: Sendable {
    private let values: [(name: String, value: String)]
    private let resolved = Resolved()

    /// The values read so far, by name (shared by copies of one `QueryParameters`).
    private final class Resolved: Sendable {
        let values = Mutex<[String: String]>([:])
    }

    public init(_ values: [(name: String, value: String)]) { self.values = values }

    @discardableResult
    private func record<T: CustomStringConvertible>(_ name: String, _ value: T) -> T {
        resolved.values.withLock { $0[name] = value.description }
        return value
    }

    /// Throws for a parameter not in `known` or given twice.
    public func allow(_ known: [String]) throws {
        var seen = Set<String>()
        for (name, _) in values {
            guard known.contains(name) else {
                throw ServiceError.badParameter(
                    name, "unknown parameter (this endpoint takes: \(known.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw ServiceError.badParameter(name, "given more than once") }
        }
    }

    public func string(_ name: String) -> String? { values.first { $0.name == name }?.value }

    /// An integer in `range`, or `fallback` when absent (nil fallback: required).
    public func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws -> Int {
        guard let text = string(name) else {
            guard let fallback else { throw ServiceError.badParameter(name, "required") }
            return record(name, fallback)
        }
        guard let value = Int(text) else {
            throw ServiceError.badParameter(name, "must be an integer, got \"\(text)\"")
        }
        guard range.contains(value) else {
            throw ServiceError.badParameter(
                name, "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return record(name, value)
    }

    /// A token position: an index in `0..<count`, or negative from the end (-1 = last).
    public func token(_ name: String, count: Int, default fallback: Int? = nil) throws -> Int {
        guard let text = string(name) else {
            guard let fallback else { throw ServiceError.badParameter(name, "required") }
            return record(name, fallback)
        }
        guard let value = Int(text) else {
            throw ServiceError.badParameter(name, "must be a token position, got \"\(text)\"")
        }
        let position = value < 0 ? count + value : value
        guard (0..<count).contains(position) else {
            throw ServiceError.badParameter(
                name, "\(value) is outside the run's \(count) tokens (0 to \(count - 1), or -1 for the last)")
        }
        return record(name, position)
    }

    public func double(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard let text = string(name) else { return record(name, fallback) }
        guard let value = Double(text), value.isFinite else {
            throw ServiceError.badParameter(name, "must be a number, got \"\(text)\"")
        }
        guard range.contains(value) else {
            throw ServiceError.badParameter(
                name, "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return record(name, value)
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = string(name) else { return record(name, fallback) }
        switch text {
        case "true", "1": return record(name, true)
        case "false", "0": return record(name, false)
        default: throw ServiceError.badParameter(name, "must be true or false, got \"\(text)\"")
        }
    }

    /// One of `choices`.
    public func choice(_ name: String, _ choices: [String], default fallback: String? = nil) throws -> String {
        guard let text = string(name) else {
            guard let fallback else {
                throw ServiceError.badParameter(name, "required (one of \(choices.joined(separator: ", ")))")
            }
            return record(name, fallback)
        }
        guard choices.contains(text) else {
            throw ServiceError.badParameter(name, "must be one of \(choices.joined(separator: ", ")), got \"\(text)\"")
        }
        return record(name, text)
    }

    /// The request in a canonical form, as a cache key: every parameter read with a typed accessor as the value it
    /// resolved to (defaults included), any other given parameter as written, sorted by name.
    public var canonical: String {
        var merged = resolved.values.withLock { $0 }
        for (name, value) in values where merged[name] == nil { merged[name] = value }
        return merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }
}
