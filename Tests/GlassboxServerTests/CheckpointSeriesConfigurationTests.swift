import Foundation
import GlassboxServer
import ModelCatalog
import Testing
import TestSupport

/// `"checkpoint_series"` in the configuration: configured models and paths in training order, default prompts,
/// and the errors that name what is wrong.
@Suite("Server configuration: checkpoint series")
struct CheckpointSeriesConfigurationTests {
    func load(_ series: String) throws -> ServerConfiguration {
        try ConfigurationTests().load("{\(ConfigurationTests.models), \"checkpoint_series\": \(series)}")
    }

    @Test("model names and paths in order, relative paths against the repository, prompts")
    func parsed() throws {
        let c = try load(
            """
            {"run": {"description": "a run", "checkpoints": ["m", {"name": "late", "path": "ckpt/late"},
              {"name": "abs", "path": "/x/y.gguf"}], "prompts": ["one", "two"]},
             "plain": {"checkpoints": ["m", {"name": "b", "path": "/b"}]}}
            """)
        let run = try #require(c.catalog.series("run"))
        #expect(run.description == "a run" && run.prompts == ["one", "two"])
        #expect(run.checkpoints.map(\.name) == ["m", "late", "abs"])
        #expect(run.checkpoints[0] == .model("m") && run.checkpoints[2] == .path(name: "abs", path: "/x/y.gguf"))
        guard case .path(_, let late) = run.checkpoints[1] else {
            Issue.record("not a path")
            return
        }
        #expect(late.hasSuffix("/ckpt/late") && late.hasPrefix("/"))
        #expect(c.catalog.checkpointSeries.map(\.name) == ["run", "plain"] && c.catalog.series("plain")?.prompts == [])
        #expect(c.catalog.series("none") == nil)
        #expect(try ConfigurationTests().load("{\(ConfigurationTests.models)}").catalog.checkpointSeries.isEmpty)
    }

    @Test(
        "bad series are errors naming the problem",
        arguments: [
            ("{\"s\": {\"checkpoints\": [\"m\"]}}", "at least two"),
            ("{\"s\": {\"checkpoints\": [\"m\", \"nope\"]}}", "no model named \"nope\""),
            ("{\"s\": {\"checkpoints\": [\"m\", \"m\"]}}", "appears twice"),
            ("{\"s\": {\"checkpoints\": [\"m\", 3]}}", "checkpoint 2"),
            ("{\"s\": {\"checkpoints\": [\"m\", {\"name\": \"b\"}]}}", "path"),
            ("{\"s\": {\"checkpoints\": [\"m\", {\"name\": \"b\", \"path\": \"/b\", \"step\": 1}]}}", "step"),
            ("{\"s\": {\"checkpoints\": \"m\"}}", "checkpoints"),
            (
                "{\"s\": {\"checkpoints\": [\"m\", {\"name\": \"b\", \"path\": \"/b\"}], \"prompts\": [\"\"]}}",
                "prompt 1"
            ),
            ("{\"s\": {\"checkpoints\": [\"m\", {\"name\": \"b\", \"path\": \"/b\"}], \"colour\": 1}}", "colour"),
            ("[1]", "checkpoint_series")
        ])
    func errors(series: String, fragment: String) throws {
        #expect { try load(series) } throws: { "\($0)".contains(fragment) }
    }
}
