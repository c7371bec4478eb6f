import Foundation
import Testing
import TestSupport

/// `glassbox report` through the built binary: a report over a prompt file, and its bad inputs.
@Suite("glassbox report")
struct ReportCommandTests {
    @Test("writes the standalone HTML and the JSON; progress goes to standard error")
    func report() throws {
        let directory = try Fixtures.temporaryDirectory()
        let prompts = directory.appendingPathComponent("prompts.txt")
        try Data("The capital of France is\n\nOnce upon a time\n  \nfor i in range(10):\n".utf8).write(to: prompts)
        let html = directory.appendingPathComponent("report.html"),
            json = directory.appendingPathComponent("report.json")
        let result = try CLIProcess.run([
            "report", "--model", Fixtures.model("tiny-llama").path, "--prompts", prompts.path,
            "--out", html.path, "--json", json.path, "--threads", "1"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 prompts"), "\(result.stdout)")
        #expect(result.stderr.contains("passes"), "a progress bar: \(result.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && !page.contains("<script") && page.contains("Once upon a time"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        #expect((report["prompts"] as! [Any]).count == 3)
        #expect((report["heads"] as! [[String: Any]]).allSatisfy { $0["ablation_nats"] is Double })

        let array = directory.appendingPathComponent("prompts.json")
        try Data(#"["line one\nline two", "second"]"#.utf8).write(to: array)
        let fromJSON = try CLIProcess.run([
            "report", "--model", Fixtures.model("tiny-gpt2").path, "--prompts", array.path,
            "--out", html.path, "--no-ablation"
        ])
        #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
        #expect(fromJSON.stdout.contains("2 prompts"))
    }

    @Test("bad prompt files and limits are one-line errors with a non-zero exit")
    func badInput() throws {
        let directory = try Fixtures.temporaryDirectory()
        let empty = directory.appendingPathComponent("empty.txt")
        try Data("\n \n".utf8).write(to: empty)
        let notArray = directory.appendingPathComponent("bad.json")
        try Data(#"{"prompts": 1}"#.utf8).write(to: notArray)
        let three = directory.appendingPathComponent("three.txt")
        try Data("a\nb\nc\n".utf8).write(to: three)
        let model = Fixtures.model("tiny-gpt2").path, out = directory.appendingPathComponent("r.html").path
        let cases: [([String], String)] = [
            (["--prompts", empty.path], "the prompt set is empty"),
            (["--prompts", notArray.path], "JSON array"),
            (["--prompts", directory.appendingPathComponent("missing.txt").path], "cannot read"),
            (["--prompts", three.path, "--max-prompts", "2"], "more than the limit of 2")
        ]
        for (arguments, message) in cases {
            let result = try CLIProcess.run(["report", "--model", model, "--out", out] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
