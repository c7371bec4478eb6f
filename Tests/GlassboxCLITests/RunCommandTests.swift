import Foundation
import Testing
import TestSupport

@Suite("glassbox run")
struct RunCommandTests {
    struct Output: Decodable {
        struct Token: Decodable {
            let id: Int
            let text: String
        }
        struct Prediction: Decodable {
            let id: Int
            let text: String
            let logit: Double
            let probability: Double
        }
        struct Model: Decodable {
            let architecture: String
            let model_type: String
            let layers: Int
            let vocab_size: Int
        }
        let model: Model
        let tokens: [Token]
        let top: [Prediction]
    }

    @Test(
        "--json prints the golden prompt's tokens and its top next tokens with golden logits",
        arguments: ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"])
    func json(_ name: String) throws {
        let golden = try GoldenForward.load(name)
        let prompt = golden.prompts[1]
        let result = try CLIProcess.run([
            "run", "--model", Fixtures.model(name).path, "--prompt", prompt.text,
            "--top-k", "5", "--json"
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.model.layers == golden.config.nLayers && output.model.vocab_size == golden.config.vocab)
        #expect(output.tokens.map(\.id) == prompt.ids)
        let v = golden.config.vocab
        let last = Array(prompt.logits[((prompt.ids.count - 1) * v)...])
        let expectedOrder = last.indices.sorted { last[$0] > last[$1] }.prefix(5)
        #expect(output.top.map(\.id) == Array(expectedOrder))
        let maximum = last.max()!
        let total = last.map { exp($0 - maximum) }.reduce(0, +)
        for p in output.top {
            #expect(abs(p.logit - last[p.id]) <= 1e-4 * abs(last[p.id]) + 1e-5, "logit of \(p.id)")
            #expect(abs(p.probability - exp(last[p.id] - maximum) / total) < 1e-5, "probability of \(p.id)")
        }
    }

    @Test("text output lists the tokens and the predictions")
    func text() throws {
        let result = try CLIProcess.run(["run", "--model", Fixtures.model("tiny-gpt2").path, "--prompt", "Hello world"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("GPT2LMHeadModel (gpt2): 2 layers, d_model 64, 4 heads"))
        #expect(result.stdout.contains("top 10 next tokens:"))
    }

    private func expectFailure(_ arguments: [String], containing fragment: String) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.status != 0, "expected a non-zero exit for \(arguments)")
        #expect(result.stderr.contains(fragment), "stderr was: \(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing on stdout when failing, got: \(result.stdout)")
    }

    /// A copy of a fixture model directory that a test may damage.
    private func copy(_ name: String) throws -> URL {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: Fixtures.model(name), to: dir)
        return dir
    }

    @Test("bad paths, empty prompts and bad options exit non-zero with one message")
    func badArguments() throws {
        try expectFailure(
            ["run", "--model", "/nonexistent/model", "--prompt", "x"],
            containing: "no such model directory or GGUF file")
        try expectFailure(
            ["run", "--model", Fixtures.model("tiny-gpt2").path, "--prompt", ""],
            containing: "--prompt is empty")
        try expectFailure(
            ["run", "--model", Fixtures.model("tiny-gpt2").path, "--prompt", "x", "--top-k", "0"],
            containing: "--top-k must be at least 1")
        try expectFailure(
            ["run", "--model", Fixtures.model("tiny-gpt2").path, "--prompt", "x", "--threads", "100000"],
            containing: "--threads must be from 1 to 256, got 100000")
        try expectFailure(
            ["bench", "forward", "--model", Fixtures.model("tiny-gpt2").path, "--threads", "1,3000000000"],
            containing: "--threads 3000000000 is more than 256")
    }

    @Test("an unknown architecture, bad config JSON, truncated weights and a missing tokenizer are clear errors")
    func badModels() throws {
        let unknown = try copy("tiny-gpt2")
        try Data(#"{"model_type": "rwkv"}"#.utf8).write(to: unknown.appendingPathComponent("config.json"))
        try expectFailure(
            ["run", "--model", unknown.path, "--prompt", "x"],
            containing: "model_type \"rwkv\" is not supported")

        let badJSON = try copy("tiny-gpt2")
        try Data("{\"model_type\": ".utf8).write(to: badJSON.appendingPathComponent("config.json"))
        try expectFailure(["run", "--model", badJSON.path, "--prompt", "x"], containing: "config.json: not valid JSON")

        let truncated = try copy("tiny-llama")
        let weights = truncated.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count - 100).write(to: weights)
        try expectFailure(["run", "--model", truncated.path, "--prompt", "x"], containing: "(truncated file?)")

        let noTokenizer = try copy("tiny-gpt2")
        for file in ["tokenizer.json", "vocab.json", "merges.txt"] {
            try FileManager.default.removeItem(at: noTokenizer.appendingPathComponent(file))
        }
        try expectFailure(["run", "--model", noTokenizer.path, "--prompt", "x"], containing: "tokenizer")
    }
}
