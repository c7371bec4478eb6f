import Reports
import Testing

/// `glassbox check`'s rules and prompts files: what they accept, and an error naming the rule and key for each bad
/// input.
@Suite("Check rules and prompts files")
struct CheckRulesTests {
    static func parse(_ text: String) throws(CheckRulesError) -> CheckRules {
        try CheckRules(parsing: Array(text.utf8), source: "rules.json")
    }

    @Test("every metric parses with a max or a min; names default to the bound; baselines only for the KL")
    func accepted() throws {
        let rules = try Self.parse(
            """
            {"description": "CI rules", "rules": [
              {"metric": "dead_heads", "max": 0},
              {"metric": "sink_share", "max": 0.9, "name": "sinks", "description": "attention sinks"},
              {"metric": "expected_probability", "min": 0.05},
              {"metric": "kl_to_baseline", "max": 0.5, "baseline": "tiny-llama"},
              {"metric": "kl_to_baseline", "max": 0.25, "baseline": "tiny-llama", "name": "strict kl"},
              {"metric": "expected_rank", "max": 1},
              {"metric": "next_token_entropy", "min": 1e-3}
            ]}
            """)
        #expect(
            rules.rules.map(\.name) == [
                "dead_heads <= 0", "sinks", "expected_probability >= 0.05", "kl_to_baseline <= 0.5", "strict kl",
                "expected_rank <= 1", "next_token_entropy >= 0.001"
            ])
        #expect(rules.rules.map(\.number) == Array(1...7))
        #expect(rules.rules[1].bound == .max(0.9) && rules.rules[1].description == "attention sinks")
        #expect(rules.rules[2].bound == .min(0.05))
        #expect(rules.rules[3].baseline == "tiny-llama" && rules.baselines == ["tiny-llama"])
        #expect(rules.metrics.count == 6)
        for metric in CheckMetric.allCases {
            let threshold = metric.domain == .rank ? 1 : 0
            let baseline = metric.needsBaseline ? #", "baseline": "b""# : ""
            let one = try Self.parse(
                #"{"rules": [{"metric": "\#(metric.rawValue)", "min": \#(threshold)\#(baseline)}]}"#)
            #expect(one.rules[0].metric == metric)
        }
    }

    @Test("a rule fires above its max or below its min, and on NaN")
    func firing() {
        let max = CheckRule(number: 1, metric: .sinkShare, bound: .max(0.5))
        #expect(!max.fires(0.5) && !max.fires(0.1) && max.fires(0.51) && max.fires(.nan))
        let min = CheckRule(number: 2, metric: .top1Probability, bound: .min(0.2))
        #expect(!min.fires(0.2) && !min.fires(1) && min.fires(0.19) && min.fires(.nan))
        #expect(CheckRule.format(0.1 + 0.2, integral: false) == "0.3" && CheckRule.format(3, integral: true) == "3")
    }

    /// (file, rule number, metric, key, words of the problem).
    static let bad: [(String, Int?, String?, String?, String)] = [
        ("[1, 2]", nil, nil, nil, "JSON object"),
        (#"{"rules": "#, nil, nil, nil, "invalid JSON"),
        (#"{"rule": []}"#, nil, nil, "rule", "unknown key"),
        (#"{}"#, nil, nil, "rules", "is required"),
        (#"{"rules": {}}"#, nil, nil, "rules", "must be an array"),
        (#"{"rules": []}"#, nil, nil, "rules", "is empty"),
        (#"{"rules": [], "description": 3}"#, nil, nil, "description", "must be a string"),
        (#"{"rules": [{"metric": "dead_heads", "max": 0}, 7]}"#, 2, nil, nil, "must be an object"),
        (#"{"rules": [{"max": 0}]}"#, 1, nil, "metric", "is required (one of: dead_heads"),
        (#"{"rules": [{"metric": 3, "max": 0}]}"#, 1, nil, "metric", "must be a string"),
        (#"{"rules": [{"metric": "dead_head", "max": 0}]}"#, 1, "dead_head", "metric", "unknown metric \"dead_head\""),
        (#"{"rules": [{"metric": "dead_heads", "max": 0, "maximum": 1}]}"#, 1, "dead_heads", "maximum", "unknown key"),
        (#"{"rules": [{"metric": "dead_heads"}]}"#, 1, "dead_heads", "max", "a threshold is required"),
        (#"{"rules": [{"metric": "dead_heads", "max": 1, "min": 0}]}"#, 1, "dead_heads", "min", "exactly one of"),
        (#"{"rules": [{"metric": "dead_heads", "max": "0"}]}"#, 1, "dead_heads", "max", "found \"0\""),
        (#"{"rules": [{"metric": "dead_heads", "max": null}]}"#, 1, "dead_heads", "max", "found null"),
        (#"{"rules": [{"metric": "dead_heads", "max": -1}]}"#, 1, "dead_heads", "max", "≥ 0 (a count), found -1"),
        (#"{"rules": [{"metric": "sink_share", "max": 1.5}]}"#, 1, "sink_share", "max", "from 0 to 1"),
        (#"{"rules": [{"metric": "top1_probability", "min": -0.1}]}"#, 1, "top1_probability", "min", "from 0 to 1"),
        (#"{"rules": [{"metric": "expected_rank", "max": 0}]}"#, 1, "expected_rank", "max", "≥ 1"),
        (#"{"rules": [{"metric": "next_token_entropy", "max": 1e999}]}"#, 1, "next_token_entropy", "max", "finite"),
        (#"{"rules": [{"metric": "kl_to_baseline", "max": 0.5}]}"#, 1, "kl_to_baseline", "baseline", "is required"),
        (
            #"{"rules": [{"metric": "dead_heads", "max": 0, "baseline": "m"}]}"#, 1, "dead_heads", "baseline",
            "only kl_to_baseline"
        ),
        (
            #"{"rules": [{"metric": "kl_to_baseline", "max": 1, "baseline": ""}]}"#, 1, "kl_to_baseline", "baseline",
            "empty"
        ),
        (#"{"rules": [{"metric": "dead_heads", "max": 0, "name": 5}]}"#, 1, "dead_heads", "name", "must be a string"),
        (
            #"{"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "sink_share", "max": 1, "name": "dead_heads <= 0"}]}"#,
            2, "sink_share", "name", "also rule 1's"
        ),
        (
            #"{"rules": [{"metric": "dead_heads", "max": 0, "description": []}]}"#, 1, "dead_heads", "description",
            "must be a string"
        )
    ]

    @Test("a bad rules file is an error naming the rule (number and metric) and the key", arguments: bad.indices)
    func rejected(_ index: Int) {
        let (text, rule, metric, key, words) = Self.bad[index]
        do {
            _ = try Self.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.rule == rule && error.metric == metric && error.key == key, "\(text): \(error)")
            #expect(error.description.contains(words), "\(text): \(error)")
            #expect(error.description.hasPrefix("rules.json"))
            if let rule { #expect(error.description.contains("rule \(rule)")) }
            if let key { #expect(error.description.contains("key \"\(key)\"")) }
        }
    }

    @Test("an expected-continuation rule needs a prompt with an expected continuation")
    func expectedNeedsPrompts() throws {
        let rules = try Self.parse(
            #"{"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "expected_rank", "max": 5}]}"#)
        let plain = [CheckPrompt(line: 1, text: "a")]
        #expect(throws: CheckRulesError.self) { try rules.check(against: plain, source: "rules.json") }
        do { try rules.check(against: plain, source: "rules.json") } catch {
            #expect(error.rule == 2 && error.metric == "expected_rank" && error.key == "metric")
        }
        try rules.check(against: plain + [CheckPrompt(line: 2, text: "b", expected: " c")], source: "rules.json")
    }

    @Test("prompts: one per line, comments and blanks skipped, a tab before the expected text, or JSON lines")
    func prompts() throws {
        let text =
            "# a comment\n\nThe capital of France is\t Paris\r\n  \nOnce upon a time\n"
            + #"{"prompt": "line one\nline two\t<&>", "expected": " x"}"# + "\n"
            + ##"  {"prompt": "# not a comment"}"## + "\nsplit\tat the first\ttab"
        let prompts = try CheckPrompt.parse(text, source: "p.txt")
        #expect(
            prompts == [
                CheckPrompt(line: 3, text: "The capital of France is", expected: " Paris"),
                CheckPrompt(line: 5, text: "Once upon a time"),
                CheckPrompt(line: 6, text: "line one\nline two\t<&>", expected: " x"),
                CheckPrompt(line: 7, text: "# not a comment"),
                CheckPrompt(line: 8, text: "split", expected: "at the first\ttab")
            ])
    }

    @Test(
        "a bad prompts file is an error naming the line",
        arguments: [
            ("# only\n\n", nil, "has no prompts"),
            ("ok\n\t Paris", 2, "before the tab is empty"),
            ("ok\nprompt\t", 2, "after the tab is empty"),
            ("{\"prompt\": 1}", 1, "non-empty string"),
            ("{\"prompt\": \"a\", \"expect\": \"b\"}", 1, "unknown key \"expect\""),
            ("{\"expected\": \"b\"}", 1, "\"prompt\" is required"),
            ("{\"prompt\": \"a\", \"expected\": \"\"}", 1, "\"expected\" must be a non-empty string"),
            ("a\n{not json", 2, "one JSON object")
        ] as [(String, Int?, String)])
    func badPrompts(_ text: String, _ line: Int?, _ words: String) {
        do {
            _ = try CheckPrompt.parse(text, source: "p.txt")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line && error.description.contains(words), "\(error)")
            #expect(error.description.hasPrefix(line.map { "p.txt:\($0): " } ?? "p.txt: "))
        }
    }
}
