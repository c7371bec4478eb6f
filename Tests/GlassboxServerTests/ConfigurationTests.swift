import Foundation
import GlassboxServer
import ModelFormats
import Testing
import TestSupport

@Suite("Server configuration")
struct ConfigurationTests {
    func load(_ text: String, environment: [String: String] = [:]) throws -> ServerConfiguration {
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("config")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("glassbox.json")
        try Data(text.utf8).write(to: url)
        return try ServerConfiguration(contentsOf: url, environment: environment)
    }

    static let models = "\"models\": {\"m\": {\"path\": \"/nowhere\"}}, \"default_model\": \"m\""

    @Test("the repository's config/glassbox.json is valid")
    func repositoryConfiguration() throws {
        let url = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "config/glassbox.json")
        let configuration = try ServerConfiguration(contentsOf: url, environment: [:])
        #expect(configuration.catalog.defaultModel == "gemma-3-270m")
        #expect(configuration.port == 8080)
        // Prompts to 2048 tokens by default; runs in memory capped at a quarter of the machine's memory.
        #expect(configuration.limits.maxPromptTokens == 2048 && configuration.limits.maxPromptBytes == 32_768)
        #expect(configuration.memoryMegabytes == Int(ProcessInfo.processInfo.physicalMemory >> 22))
        #expect(try load("{\(Self.models), \"memory_megabytes\": 300}").memoryMegabytes == 300)
    }

    @Test("values, defaults and environment overrides")
    func values() throws {
        let c = try load(
            "{\(Self.models), \"port\": 9000, \"host\": \"0.0.0.0\", \"limits\": {\"max_prompt_tokens\": 64}}",
            environment: ["GLASSBOX_PORT": "7000", "GLASSBOX_CACHE_DIR": "/data"])
        #expect(c.port == 7000 && c.host == "0.0.0.0" && c.limits.maxPromptTokens == 64)
        #expect(c.databasePath == "/data/runs.sqlite")
        #expect(c.catalog.cacheDirectory.path == "/data")
        #expect(c.limits.maxConcurrentRuns == 1)
    }

    @Test(
        "unknown keys and bad values are errors that name the key",
        arguments: [
            ("\"colour\": 1", "colour"), ("\"port\": 70000", "port"), ("\"port\": \"80\"", "port"),
            ("\"limits\": {\"max_prompt_tokens\": 0}", "max_prompt_tokens"), ("\"limits\": {\"speed\": 1}", "speed"),
            ("\"cache\": {\"max_megabytes\": -1}", "max_megabytes"), ("\"threads\": 0", "threads"),
            ("\"memory_megabytes\": 0", "memory_megabytes")
        ])
    func errors(fragment: String, key: String) throws {
        #expect { try load("{\(Self.models), \(fragment)}") } throws: { "\($0)".contains(key) }
    }

    @Test("a bad environment override is an error")
    func badEnvironment() throws {
        #expect { try load("{\(Self.models)}", environment: ["GLASSBOX_PORT": "eighty"]) } throws: {
            "\($0)".contains("GLASSBOX_PORT")
        }
    }
}
