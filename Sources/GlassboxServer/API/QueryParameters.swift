/// Typed access to a request's query parameters, with 400 errors that name the parameter and say what is wrong.
/// Unknown parameters are errors too, so a misspelt one is not silently ignored.
public struct QueryParameters: Sendable {
    private let values: [(name: String, value: String)]

    public init(_ values: [(name: String, value: String)]) { self.values = values }

    /// Throws for a parameter not in `known` or given twice.
    public func allow(_ known: [String]) throws {
        var seen = Set<String>()
        for (name, _) in values {
            guard known.contains(name) else {
                throw ServiceError.badParameter(name, "unknown parameter (this endpoint takes: \(known.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw ServiceError.badParameter(name, "given more than once") }
        }
    }

    public func string(_ name: String) -> String? { values.first { $0.name == name }?.value }

    /// An integer in `range`, or `fallback` when absent (nil fallback: required).
    public func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws -> Int {
        guard let text = string(name) else {
            guard let fallback else { throw ServiceError.badParameter(name, "required") }
            return fallback
        }
        guard let value = Int(text) else { throw ServiceError.badParameter(name, "must be an integer, got \"\(text)\"") }
        guard range.contains(value) else {
            throw ServiceError.badParameter(name, "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A token position: an index in `0..<count`, or negative from the end (-1 = last).
    public func token(_ name: String, count: Int, default fallback: Int? = nil) throws -> Int {
        guard let text = string(name) else {
            guard let fallback else { throw ServiceError.badParameter(name, "required") }
            return fallback
        }
        guard let value = Int(text) else {
            throw ServiceError.badParameter(name, "must be a token position, got \"\(text)\"")
        }
        let position = value < 0 ? count + value : value
        guard (0..<count).contains(position) else {
            throw ServiceError.badParameter(name, "\(value) is outside the run's \(count) tokens (0 to \(count - 1), or -1 for the last)")
        }
        return position
    }

    public func double(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard let text = string(name) else { return fallback }
        guard let value = Double(text), value.isFinite else {
            throw ServiceError.badParameter(name, "must be a number, got \"\(text)\"")
        }
        guard range.contains(value) else {
            throw ServiceError.badParameter(name, "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = string(name) else { return fallback }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw ServiceError.badParameter(name, "must be true or false, got \"\(text)\"")
        }
    }

    /// One of `choices`.
    public func choice(_ name: String, _ choices: [String], default fallback: String? = nil) throws -> String {
        guard let text = string(name) else {
            guard let fallback else { throw ServiceError.badParameter(name, "required (one of \(choices.joined(separator: ", ")))") }
            return fallback
        }
        guard choices.contains(text) else {
            throw ServiceError.badParameter(name, "must be one of \(choices.joined(separator: ", ")), got \"\(text)\"")
        }
        return text
    }

    /// The parameters in a canonical order, as a cache key.
    public var canonical: String {
        values.sorted { ($0.name, $0.value) < ($1.name, $1.value) }.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }
}
