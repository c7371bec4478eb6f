import Foundation
import JSON

/// One threshold of a rules file: a metric, a bound (`max` or `min`), a name, and for `kl_to_baseline` the baseline.
public struct CheckRule: Sendable, Equatable {
    /// `max`: the rule fires when the value is above it; `min`: when it is below it. A value that is not a number
    /// (NaN) fires either.
    public enum Bound: Sendable, Equatable {
        case max(Double)
        case min(Double)

        public var threshold: Double {
            switch self {
            case .max(let value), .min(let value): return value
            }
        }

        /// `"max"` or `"min"`, the rules file's key.
        public var key: String {
            switch self {
            case .max: return "max"
            case .min: return "min"
            }
        }

        /// `<=` for a max, `>=` for a min: what a passing value satisfies.
        public var passingRelation: String {
            switch self {
            case .max: return "<="
            case .min: return ">="
            }
        }
    }

    /// The rule's position in the file, from 1.
    public let number: Int
    /// The `name` given, else `"<metric> <= <max>"` or `"<metric> >= <min>"`.
    public let name: String
    public let metric: CheckMetric
    public let bound: Bound
    /// The baseline model (a name from the configuration or a path) of a `kl_to_baseline` rule.
    public let baseline: String?
    public let description: String?

    public init(
        number: Int, name: String? = nil, metric: CheckMetric, bound: Bound, baseline: String? = nil,
        description: String? = nil
    ) {
        self.number = number
        self.metric = metric
        self.bound = bound
        self.baseline = baseline
        self.description = description
        self.name =
            name
            ?? "\(metric.rawValue) \(bound.passingRelation) \(CheckRule.format(bound.threshold, integral: false))"
    }

    /// Whether `value` breaks the bound (NaN always does).
    public func fires(_ value: Double) -> Bool {
        guard !value.isNaN else { return true }
        switch bound {
        case .max(let limit): return value > limit
        case .min(let limit): return value < limit
        }
    }

    /// A number as rules and reports print it: whole numbers without decimals, else up to 6 significant digits.
    public static func format(_ value: Double, integral: Bool) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        if integral { return String(value) }
        var text = String(format: "%.6g", value)
        if text.contains("e") { return text }
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text
    }
}

/// A rules file that cannot be used: which rule (its number from 1 and metric), which key, and what is wrong.
public struct CheckRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    /// The rule's number from 1; nil for the file as a whole.
    public let rule: Int?
    /// The rule's metric as written, when it has one.
    public let metric: String?
    /// The offending key; nil when the problem is the rule or the file itself.
    public let key: String?
    public let problem: String

    public init(source: String, rule: Int? = nil, metric: String? = nil, key: String? = nil, problem: String) {
        self.source = source
        self.rule = rule
        self.metric = metric
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var place = source
        if let rule {
            place += ": rule \(rule)"
            if let metric { place += " (metric \"\(metric)\")" }
        }
        if let key { place += ", key \"\(key)\"" }
        return "\(place): \(problem)"
    }
}

/// The rules of `glassbox check`, read from JSON:
/// `{"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "expected_probability", "min": 0.05, "name": "…"}]}`.
///
/// Each rule has a `metric` (one of `CheckMetric`), exactly one of `max`/`min` (a number in the metric's domain),
/// optionally `name` (unique) and `description`, and `baseline` exactly when the metric is `kl_to_baseline`. The
/// document may have a `description`. Anything else is an error naming the rule and the key.
public struct CheckRules: Sendable, Equatable {
    public let rules: [CheckRule]

    static let ruleKeys = ["metric", "max", "min", "name", "description", "baseline"]

    public init(rules: [CheckRule]) { self.rules = rules }

    /// The metrics the rules use.
    public var metrics: Set<CheckMetric> { Set(rules.map(\.metric)) }

    /// The distinct baselines of the `kl_to_baseline` rules, in file order.
    public var baselines: [String] {
        var seen: [String] = []
        for rule in rules { if let b = rule.baseline, !seen.contains(b) { seen.append(b) } }
        return seen
    }

    /// Parses a rules file's bytes; `source` names it in errors.
    public init(parsing bytes: [UInt8], source: String) throws(CheckRulesError) {
        let root: JSONObjectReader
        do { root = try JSONObjectReader(parsing: bytes, source: source) } catch {
            throw CheckRulesError(source: source, key: error.keyPath.first, problem: error.problem)
        }
        for member in root.members where member.key != "rules" && member.key != "description" {
            throw CheckRulesError(source: source, key: member.key, problem: "unknown key (known: rules, description)")
        }
        if let description = root["description"], description.stringValue == nil {
            throw CheckRulesError(
                source: source, key: "description", problem: "must be a string, found \(description.summary)")
        }
        guard let value = root["rules"] else {
            throw CheckRulesError(
                source: source, key: "rules",
                problem: "is required: an array of rules such as {\"metric\": \"dead_heads\", \"max\": 0}")
        }
        guard let items = value.arrayValue else {
            throw CheckRulesError(source: source, key: "rules", problem: "must be an array, found \(value.summary)")
        }
        guard !items.isEmpty else {
            throw CheckRulesError(source: source, key: "rules", problem: "is empty: give at least one rule")
        }
        var rules: [CheckRule] = []
        for (index, item) in items.enumerated() {
            let rule = try Self.rule(item, number: index + 1, source: source)
            if let earlier = rules.first(where: { $0.name == rule.name }) {
                throw CheckRulesError(
                    source: source, rule: rule.number, metric: rule.metric.rawValue, key: "name",
                    problem: "the name \"\(rule.name)\" is also rule \(earlier.number)'s: give each rule its own name")
            }
            rules.append(rule)
        }
        self.rules = rules
    }

    /// One element of `rules`.
    static func rule(_ item: JSONValue, number: Int, source: String) throws(CheckRulesError) -> CheckRule {
        guard let members = item.objectMembers else {
            throw CheckRulesError(
                source: source, rule: number,
                problem: "must be an object such as {\"metric\": \"dead_heads\", \"max\": 0}, found \(item.summary)")
        }
        let reader = JSONObjectReader(members: members, source: source)
        let written = reader["metric"]?.stringValue
        func fail(_ key: String?, _ problem: String) -> CheckRulesError {
            CheckRulesError(source: source, rule: number, metric: written, key: key, problem: problem)
        }
        for member in members where !ruleKeys.contains(member.key) {
            throw fail(member.key, "unknown key (known: \(ruleKeys.joined(separator: ", ")))")
        }
        let known = CheckMetric.allCases.map(\.rawValue).joined(separator: ", ")
        guard let metricValue = reader["metric"], !metricValue.isNull else {
            throw fail("metric", "is required (one of: \(known))")
        }
        guard let written else { throw fail("metric", "must be a string, found \(metricValue.summary)") }
        guard let metric = CheckMetric(rawValue: written) else {
            throw fail("metric", "unknown metric \"\(written)\" (known: \(known))")
        }

        let hasMax = reader["max"] != nil, hasMin = reader["min"] != nil
        if hasMax && hasMin { throw fail("min", "give exactly one of max and min, not both") }
        guard hasMax || hasMin else { throw fail("max", "a threshold is required: give max or min") }
        let key = hasMax ? "max" : "min"
        guard let threshold = reader[key]?.doubleValue else {
            throw fail(key, "must be \(metric.domain.requirement), found \(reader[key]?.summary ?? "nothing")")
        }
        guard metric.domain.contains(threshold) else {
            throw fail(
                key, "must be \(metric.domain.requirement), found \(CheckRule.format(threshold, integral: false))")
        }

        let name = try text("name", of: reader, fail)
        let description = try text("description", of: reader, fail)
        let baseline = try text("baseline", of: reader, fail)
        if metric.needsBaseline && baseline == nil {
            throw fail(
                "baseline", "is required for \(metric.rawValue): a model name from the configuration or a path")
        }
        if !metric.needsBaseline && reader["baseline"] != nil {
            throw fail("baseline", "only kl_to_baseline takes a baseline")
        }
        return CheckRule(
            number: number, name: name, metric: metric, bound: hasMax ? .max(threshold) : .min(threshold),
            baseline: baseline, description: description)
    }

    /// An optional non-empty string member.
    private static func text(
        _ key: String, of reader: JSONObjectReader, _ fail: (String?, String) -> CheckRulesError
    ) throws(CheckRulesError) -> String? {
        guard let value = reader[key] else { return nil }
        guard let text = value.stringValue else { throw fail(key, "must be a string, found \(value.summary)") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(key, "must not be empty") }
        return text
    }

    /// Throws for a rule that no prompt can be measured by: an expected-continuation metric when no prompt gives an
    /// expected continuation.
    public func check(against prompts: [CheckPrompt], source: String) throws(CheckRulesError) {
        guard !prompts.contains(where: { $0.expected != nil }) else { return }
        if let rule = rules.first(where: { $0.metric.needsExpected }) {
            throw CheckRulesError(
                source: source, rule: rule.number, metric: rule.metric.rawValue, key: "metric",
                problem: "\(rule.metric.rawValue) needs prompts with an expected continuation "
                    + "(\"prompt<TAB>expected\" or {\"prompt\": …, \"expected\": …}), and no prompt has one")
        }
    }
}
