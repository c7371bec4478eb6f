/// A check as a plain-text table for a terminal or a CI log: one line per rule × prompt (PASS, FAIL or SKIP, the
/// rule, the prompt's number, the value and the threshold, the prompt), then a summary line.
public enum CheckTable {
    /// Prompts longer than this are cut with "…" (the JSON and JUnit outputs have them whole).
    static let promptWidth = 48

    public static func text(_ result: CheckResult) -> String {
        var rows = [["STATUS", "RULE", "PROMPT", "VALUE", "THRESHOLD", "TEXT"]]
        for (index, prompt) in result.prompts.enumerated() {
            for outcome in prompt.outcomes {
                let status: String
                switch outcome.status {
                case .passed: status = "PASS"
                case .failed: status = "FAIL"
                case .skipped: status = "SKIP"
                }
                let value = outcome.value.map { CheckRule.format($0, integral: outcome.rule.metric.isIntegral) }
                rows.append([
                    status, outcome.rule.name, String(index + 1), value ?? "-",
                    "\(outcome.rule.bound.key) \(CheckRule.format(outcome.rule.bound.threshold, integral: false))",
                    shown(prompt.prompt.text)
                ])
            }
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            (0..<5).map { row[$0].padding(to: widths[$0]) }.joined(separator: "  ") + "  " + row[5]
        }
        lines.append(summary(result))
        return lines.joined(separator: "\n")
    }

    /// `"6 checks (3 rules × 2 prompts): 5 passed, 1 failed, 0 skipped"`.
    public static func summary(_ result: CheckResult) -> String {
        "\(result.tests) checks (\(result.rules.rules.count) rules × \(result.prompts.count) prompts): "
            + "\(result.passes) passed, \(result.failures) failed, \(result.skips) skipped"
    }

    /// One line: line ends and tabs made visible, cut to `promptWidth`.
    static func shown(_ text: String) -> String {
        var line = ""
        for character in text {
            switch character {
            case "\n", "\r\n", "\r": line += "↵"
            case "\t": line += "⇥"
            default: line.append(character)
            }
        }
        return line.count > promptWidth ? String(line.prefix(promptWidth - 1)) + "…" : line
    }
}

extension String {
    /// Padded with spaces to `width` characters.
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
