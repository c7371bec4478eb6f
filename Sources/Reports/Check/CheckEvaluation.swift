/// The verdict of one rule on one prompt.
public struct CheckOutcome: Sendable {
    public enum Status: String, Sendable, Equatable {
        case passed
        case failed
        /// The prompt cannot give the rule's value (an expected-continuation metric without an expected
        /// continuation).
        case skipped
    }

    public let rule: CheckRule
    /// Nil when skipped.
    public let value: Double?
    public let status: Status

    /// `"dead_heads = 3, above the max 0"`, `"sink_share = 0.41 (max 0.9)"`, or why it was skipped.
    public var message: String {
        guard let value else {
            return rule.metric.needsExpected
                ? "skipped: the prompt has no expected continuation" : "skipped: not measured"
        }
        let metric = rule.metric, threshold = CheckRule.format(rule.bound.threshold, integral: false)
        let shown = "\(metric.rawValue) = \(CheckRule.format(value, integral: metric.isIntegral))"
        guard status == .failed else { return "\(shown) (\(rule.bound.key) \(threshold))" }
        if value.isNaN { return "\(shown): not a number (\(rule.bound.key) \(threshold))" }
        switch rule.bound {
        case .max: return "\(shown), above the max \(threshold)"
        case .min: return "\(shown), below the min \(threshold)"
        }
    }
}

/// One prompt's measurement and the verdict of every rule on it, in rule order.
public struct CheckPromptResult: Sendable {
    public let measurement: CheckMeasurement
    public let outcomes: [CheckOutcome]

    public var prompt: CheckPrompt { measurement.prompt }
}

/// The result of a whole check: every rule on every prompt.
public struct CheckResult: Sendable {
    public let model: String
    public let rules: CheckRules
    public let prompts: [CheckPromptResult]

    public init(model: String, rules: CheckRules, measurements: [CheckMeasurement]) {
        self.model = model
        self.rules = rules
        prompts = measurements.map {
            CheckPromptResult(measurement: $0, outcomes: CheckEvaluation.evaluate(rules.rules, on: $0))
        }
    }

    private func count(_ status: CheckOutcome.Status) -> Int {
        prompts.reduce(0) { $0 + $1.outcomes.filter { $0.status == status }.count }
    }

    /// Rules × prompts.
    public var tests: Int { prompts.count * rules.rules.count }
    public var failures: Int { count(.failed) }
    public var passes: Int { count(.passed) }
    public var skips: Int { count(.skipped) }
    /// Whether any rule fired on any prompt (the exit code 1).
    public var fired: Bool { failures > 0 }
    public var seconds: Double { prompts.reduce(0) { $0 + $1.measurement.seconds } }
}

/// Applies rules to a measurement: a pure function of the figures.
public enum CheckEvaluation {
    public static func evaluate(_ rules: [CheckRule], on measurement: CheckMeasurement) -> [CheckOutcome] {
        rules.map { rule in
            guard let value = measurement.value(for: rule) else {
                return CheckOutcome(rule: rule, value: nil, status: .skipped)
            }
            return CheckOutcome(rule: rule, value: value, status: rule.fires(value) ? .failed : .passed)
        }
    }
}
