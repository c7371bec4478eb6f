import Foundation
import Testing
import TestSupport

/// `glassbox checkpoints` through the built binary: the series over the committed tiny checkpoints, and bad inputs.
@Suite("glassbox checkpoints")
struct CheckpointsCommandTests {
    static let root = Fixtures.root.appendingPathComponent("checkpoints", isDirectory: true)
    /// The repository's configuration (its model names).
    static let config = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/glassbox.json").path
    static let steps = ["step-0000", "step-0050", "step-0100", "step-0200", "step-0400"]

    static func checkpointArguments(_ steps: [String] = steps) -> [String] {
        steps.flatMap { ["--checkpoint", root.appendingPathComponent("tiny-train/\($0)").path] }
    }

    @Test("writes the JSON and the offline page, prints the trends and class changes, progress on standard error")
    func series() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("series.html"), json = directory.appendingPathComponent("s.json")
        let result = try CLIProcess.run(
            ["checkpoints"] + Self.checkpointArguments() + [
                "--prompts", Self.root.appendingPathComponent("prompts.txt").path, "--json", json.path,
                "--html", html.path, "--threads", "1"
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("5 checkpoints × 4 prompts"), "\(result.stdout)")
        #expect(result.stdout.contains("  loss: 6.459 → 3.167 → 1.968 → 0.7772 → 0.7111 (falling)"), "\(result.stdout)")
        #expect(result.stdout.contains("  max_previous_token: ") && result.stdout.contains("(rising)"))
        #expect(result.stdout.contains("  L1H2: mixed → vertical (step-0200 → step-0400)"), "\(result.stdout)")
        #expect(result.stderr.contains("220/220 passes, checkpoint 5/5 step-0400"), "\(result.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && !page.contains("<script") && !page.contains("http"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        let checkpoints = report["checkpoints"] as! [[String: Any]]
        #expect(checkpoints.map { $0["name"] as! String } == Self.steps)
        let trends = report["trends"] as! [String: Any]
        #expect((trends["loss"] as! [String: Any])["direction"] as! String == "falling")

        // Without outputs or ablation: only the summary, no redundant heads.
        let quick = try CLIProcess.run(
            ["checkpoints"] + Self.checkpointArguments(["step-0000", "step-0400"]) + [
                "--prompts", Self.root.appendingPathComponent("prompts.txt").path, "--no-ablation"
            ])
        #expect(quick.status == 0, "\(quick.stderr)")
        #expect(quick.stdout.hasPrefix("measured 2 checkpoints × 4 prompts"), "\(quick.stdout)")
        #expect(quick.stdout.contains("redundant_heads: – → – (mixed)"), "\(quick.stdout)")
    }

    @Test("--series takes the configured series (tiny-train in config/glassbox.json) and its default prompts")
    func configuredSeries() throws {
        let result = try CLIProcess.run(
            ["checkpoints", "--series", "tiny-train", "--config", Self.config, "--no-ablation", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        // The same numbers as the five checkpoints given by path with the prompts file.
        #expect(result.stdout.hasPrefix("measured 5 checkpoints × 4 prompts"), "\(result.stdout)")
        #expect(result.stdout.contains("  loss: 6.459 → 3.167 → 1.968 → 0.7772 → 0.7111 (falling)"), "\(result.stdout)")
        let own = try CLIProcess.run([
            "checkpoints", "--series", "tiny-train", "--config", Self.config, "--no-ablation",
            "--prompts", Self.root.appendingPathComponent("prompts.txt").path
        ])
        #expect(own.status == 0 && own.stdout.contains("5 checkpoints × 4 prompts"), "\(own.stderr)")
        for (arguments, message) in [
            (["--series", "nope", "--config", Self.config], "no checkpoint series named \"nope\""),
            (
                ["--series", "tiny-train", "--config", Self.config] + Self.checkpointArguments(["step-0000"]),
                "give --series or --checkpoint, not both"
            ),
            (Self.checkpointArguments(), "give --prompts FILE")
        ] {
            let failed = try CLIProcess.run(["checkpoints"] + arguments)
            #expect(failed.status != 0 && failed.stderr.contains(message), "\(arguments): \(failed.stderr)")
        }
    }

    @Test("bad inputs are one-line errors naming what is wrong, with a non-zero exit")
    func badInput() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let prompts = Self.root.appendingPathComponent("prompts.txt").path
        let copy = directory.appendingPathComponent("wide")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("tiny-train/step-0050"), to: copy)
        let config = copy.appendingPathComponent("config.json")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 2")
            .write(to: config, atomically: true, encoding: .utf8)
        let short = directory.appendingPathComponent("short.txt")
        try Data("The keeper\nT\n".utf8).write(to: short)
        let one = Self.checkpointArguments(["step-0000"])
        let cases: [([String], String)] = [
            (one + ["--prompts", prompts], "give --checkpoint at least twice"),
            (
                one + ["--checkpoint", "no-such-model", "--prompts", prompts, "--config", Self.config],
                "checkpoint \"no-such-model\" is no model"
            ),
            (
                one + ["--checkpoint", copy.path, "--prompts", prompts],
                "checkpoint \"wide\" has 2 layers × 2 heads, but \"step-0000\" has 2 layers × 4 heads"
            ),
            (Self.checkpointArguments(["step-0000", "step-0050"]) + ["--prompts", short.path], "prompt 2 has 1 token"),
            (
                Self.checkpointArguments(["step-0000", "step-0050"]) + ["--prompts", directory.path + "/none.txt"],
                "cannot read the prompts file"
            )
        ]
        for (arguments, message) in cases {
            let result = try CLIProcess.run(["checkpoints"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
