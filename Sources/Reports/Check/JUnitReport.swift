import Foundation

/// A check as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test reporters) show as tests: one
/// `<testsuite>` (inside `<testsuites>`), one `<testcase classname="rule name" name="prompt N: text">` per rule ×
/// prompt, with a `<failure>` when the rule fires and `<skipped>` when the prompt cannot give the value.
public enum JUnitReport {
    /// Prompts longer than this are cut (with "…") in test case names; the failure text has them whole.
    static let nameLength = 80

    public static func xml(_ result: CheckResult) -> String {
        let counts =
            "tests=\"\(result.tests)\" failures=\"\(result.failures)\" errors=\"0\" skipped=\"\(result.skips)\" "
            + "time=\"\(String(format: "%.3f", result.seconds))\""
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"glassbox check\" \(counts)>",
            "  <testsuite name=\"\(attribute("glassbox check: " + result.model))\" \(counts)>",
            "    <properties>",
            "      <property name=\"model\" value=\"\(attribute(result.model))\"/>",
            "      <property name=\"rules\" value=\"\(result.rules.rules.count)\"/>",
            "      <property name=\"prompts\" value=\"\(result.prompts.count)\"/>",
            "    </properties>"
        ]
        for (index, prompt) in result.prompts.enumerated() {
            let name = "prompt \(index + 1): " + shortened(prompt.prompt.text)
            for outcome in prompt.outcomes {
                let open =
                    "    <testcase classname=\"\(attribute(outcome.rule.name))\" name=\"\(attribute(name))\""
                switch outcome.status {
                case .passed:
                    lines.append(open + "/>")
                case .skipped:
                    lines.append(open + ">")
                    lines.append("      <skipped message=\"\(attribute(outcome.message))\"/>")
                    lines.append("    </testcase>")
                case .failed:
                    lines.append(open + ">")
                    lines.append(
                        "      <failure message=\"\(attribute(outcome.message))\" "
                            + "type=\"\(attribute(outcome.rule.metric.rawValue))\">"
                            + text(details(outcome, prompt.measurement)) + "</failure>")
                    lines.append("    </testcase>")
                }
            }
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The failure's body: the rule, the metric's definition, the value and the whole prompt.
    static func details(_ outcome: CheckOutcome, _ measurement: CheckMeasurement) -> String {
        let rule = outcome.rule
        var lines = [
            "rule \(rule.number): \(rule.name)",
            "metric: \(rule.metric.rawValue) (\(rule.metric.definition))",
            outcome.message
        ]
        if let description = rule.description { lines.append("description: \(description)") }
        if let baseline = rule.baseline { lines.append("baseline: \(baseline)") }
        lines.append("prompt (line \(measurement.prompt.line)): \(measurement.prompt.text)")
        if let expected = measurement.prompt.expected {
            lines.append("expected: \(expected) (first token \(measurement.expectedToken?.display ?? "?"))")
        }
        lines.append("top-1 next token: \(measurement.top1.display)")
        return lines.joined(separator: "\n")
    }

    static func shortened(_ text: String) -> String {
        text.count > nameLength ? String(text.prefix(nameLength - 1)) + "…" : text
    }

    /// Whether XML 1.0 allows the scalar at all (`Char` of the XML specification).
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// `value` for a double-quoted attribute: `& < > "` as entities, tab and line ends as character references (so
    /// attribute normalisation keeps them), scalars XML cannot hold as U+FFFD.
    public static func attribute(_ value: String) -> String {
        escape(value, inAttribute: true)
    }

    /// `value` as element text: `& < >` as entities, carriage returns as `&#13;`, scalars XML cannot hold as U+FFFD.
    public static func text(_ value: String) -> String {
        escape(value, inAttribute: false)
    }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
