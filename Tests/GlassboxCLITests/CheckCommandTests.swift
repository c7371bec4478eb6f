import Foundation
import Testing
import TestSupport

/// `glassbox check` through the built binary: exit 0 when no rule fires, 1 when one does, 2 on a usage error; the
/// table, the JSON and the JUnit file.
@Suite("glassbox check")
struct CheckCommandTests {
    static let model = Fixtures.model("tiny-llama").path
    static let gpt2 = Fixtures.model("tiny-gpt2").path

    /// Writes `text` to a new file in `directory`.
    static func file(_ directory: URL, _ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func prompts(_ directory: URL) throws -> String {
        try file(
            directory, "prompts.txt",
            "# checked prompts\nThe capital of France is\t Paris\n\nOnce upon a time\n"
                + #"{"prompt": "if a < b && \"c\":\n    return", "expected": " x"}"# + "\n")
    }

    @Test("no rule fires: exit 0, a PASS line per rule × prompt, and a JUnit file without failures")
    func passing() throws {
        let directory = try Fixtures.temporaryDirectory()
        let rules = try Self.file(
            directory, "rules.json",
            #"""
            {"rules": [{"metric": "dead_heads", "max": 1000}, {"metric": "sink_share", "max": 1},
                       {"metric": "expected_probability", "min": 0}, {"metric": "next_token_entropy", "max": 100},
                       {"metric": "kl_to_baseline", "max": 1000, "baseline": "\#(Self.model)", "name": "same model"},
                       {"metric": "kl_to_baseline", "max": 1000, "baseline": "\#(Self.gpt2)", "name": "gpt2"}]}
            """#)
        let junit = directory.appendingPathComponent("out.xml")
        let result = try CLIProcess.run([
            "check", "--model", Self.model, "--prompts", try Self.prompts(directory), "--rules", rules,
            "--junit", junit.path, "--threads", "1"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("PASS ") }.count == 17 && lines.filter { $0.hasPrefix("SKIP ") }.count == 1)
        #expect(lines.last == "18 checks (6 rules × 3 prompts): 17 passed, 0 failed, 1 skipped", "\(result.stdout)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"tests="18" failures="0" errors="0" skipped="1""#))
        #expect(xml.components(separatedBy: "<testcase ").count == 19 && !xml.contains("<failure"))
        #expect(xml.contains("name=\"prompt 3: if a &lt; b &amp;&amp; &quot;c&quot;:&#10;    return\""))
    }

    @Test("a rule fires: exit 1, the failure in the JUnit file, --json prints one JSON document")
    func firing() throws {
        let directory = try Fixtures.temporaryDirectory()
        let rules = try Self.file(
            directory, "rules.json",
            #"""
            {"rules": [{"metric": "dead_heads", "max": 1000},
                       {"metric": "top1_probability", "min": 0.99, "name": "confident"}]}
            """#)
        let junit = directory.appendingPathComponent("out.xml")
        let result = try CLIProcess.run([
            "check", "--model", Self.model, "--prompts", try Self.prompts(directory), "--rules", rules,
            "--junit", junit.path, "--json"
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["fired"] as? Bool == true && json["failed"] as? Int == 3 && json["passed"] as? Int == 3)
        let prompts = json["prompts"] as! [[String: Any]]
        #expect(prompts.count == 3 && prompts[0]["expected"] as? String == " Paris")
        let confident = (prompts[0]["results"] as! [[String: Any]])[1]
        #expect(confident["rule"] as? String == "confident" && confident["min"] as? Double == 0.99)
        #expect(confident["passed"] as? Bool == false && (confident["value"] as! Double) < 0.99)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"tests="6" failures="3""#) && xml.components(separatedBy: "<failure ").count == 4)
        #expect(xml.contains("<testcase classname=\"confident\" name=\"prompt 1: The capital of France is\">"))
    }

    @Test("usage errors exit 2 with a message naming the problem, and write no JUnit file")
    func usageErrors() throws {
        let directory = try Fixtures.temporaryDirectory()
        let prompts = try Self.prompts(directory)
        let good = try Self.file(directory, "good.json", #"{"rules": [{"metric": "dead_heads", "max": 0}]}"#)
        let unknown = try Self.file(
            directory, "unknown.json",
            #"{"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "sinks", "max": 1}]}"#)
        let threshold = try Self.file(directory, "threshold.json", #"{"rules": [{"metric": "sink_share", "max": 2}]}"#)
        let badPrompts = try Self.file(directory, "bad.txt", "ok\n\t only expected\n")
        let noBaseline = try Self.file(
            directory, "kl.json",
            #"{"rules": [{"metric": "kl_to_baseline", "max": 1, "baseline": "\#(directory.path)/nothing"}]}"#)
        let junit = directory.appendingPathComponent("out.xml").path
        let cases: [([String], String)] = [
            (["--prompts", prompts], "Missing expected argument '--rules"),
            (["--prompts", prompts, "--rules", good, "--bogus"], "Unknown option '--bogus'"),
            (["--prompts", prompts, "--rules", good, "--threads", "0"], "--threads must be from 1"),
            (["--prompts", prompts, "--rules", unknown], #"rule 2 (metric "sinks"), key "metric": unknown metric"#),
            (
                ["--prompts", prompts, "--rules", threshold],
                #"rule 1 (metric "sink_share"), key "max": must be a number from 0 to 1"#
            ),
            (
                ["--prompts", prompts, "--rules", directory.appendingPathComponent("none.json").path],
                "cannot read the rules file"
            ),
            (["--prompts", badPrompts, "--rules", good], "bad.txt:2: the prompt before the tab is empty"),
            (["--prompts", prompts, "--rules", noBaseline], "no such model directory or GGUF file")
        ]
        for (arguments, message) in cases {
            let result = try CLIProcess.run(["check", "--model", Self.model, "--junit", junit] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: junit))
        }
        let missing = try CLIProcess.run([
            "check", "--model", directory.appendingPathComponent("no-model").path, "--prompts", prompts,
            "--rules", good, "--config", try Self.file(directory, "glassbox.json", #"{"models": {}}"#)
        ])
        #expect(missing.status == 2 && missing.stderr.contains("no such model directory"), "\(missing.stderr)")
        let help = try CLIProcess.run(["check", "--help"])
        #expect(help.status == 0 && help.stdout.contains("EXIT CODES") && help.stdout.contains("expected_probability"))
    }

    static let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    static let example = [
        "--prompts", root.appendingPathComponent("config/check-prompts.txt").path,
        "--rules", root.appendingPathComponent("config/check-rules.json").path
    ]

    @Test("the shipped example passes on the default model gemma-3-270m")
    func shippedExample() throws {
        let gemma = Fixtures.realModel("gemma-3-270m-q4_k_m.gguf")
        try #require(FileManager.default.fileExists(atPath: gemma.path), "\(gemma.path) is missing")
        let result = try CLIProcess.run(["check", "--model", gemma.path] + Self.example)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.hasSuffix("35 checks (7 rules × 5 prompts): 31 passed, 0 failed, 4 skipped\n"))
    }

    @Test("on a random fixture model the shipped example fires exactly its expected-word rules")
    func shippedExampleFires() throws {
        let result = try CLIProcess.run(
            ["check", "--model", Fixtures.model("tiny-qwen3").path, "--json"] + Self.example)
        #expect(result.status == 1, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let failed = (json["prompts"] as! [[String: Any]]).flatMap { prompt in
            (prompt["results"] as! [[String: Any]]).filter { $0["status"] as? String == "failed" }.map {
                "\(prompt["line"]!) \($0["metric"]!)"
            }
        }
        #expect(
            failed == [
                "3 expected_probability", "3 expected_rank", "4 expected_probability", "4 expected_rank",
                "5 expected_probability", "5 expected_rank"
            ])
    }
}
