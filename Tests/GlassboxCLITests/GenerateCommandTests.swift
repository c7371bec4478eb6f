import Foundation
import Testing
import TestSupport

@Suite("glassbox generate")
struct GenerateCommandTests {
    struct Output: Decodable {
        struct Token: Decodable {
            let id: Int
            let text: String
        }
        struct Candidate: Decodable {
            let id: Int
            let probability: Double
            let sampled_probability: Double
            let chosen: Bool
        }
        struct Step: Decodable {
            let id: Int
            let text: String
            let uniform: Double?
            let top: [Candidate]
        }
        let prompt_tokens: [Token]
        let generated: [Step]
        let text: String
        let stop_reason: String
    }

    struct Golden: Decodable {
        struct Prompt: Decodable {
            let text: String
            let prompt_ids: [Int]
            let generated: [Int]
        }
        let prompts: [Prompt]
    }

    @Test(
        "--greedy --json gives transformers' greedy continuation of a golden prompt",
        arguments: ["tiny-llama", "tiny-gemma3"])
    func greedyJSON(_ name: String) throws {
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: Fixtures.golden("generation-\(name).json")))
        let prompt = golden.prompts[0]
        let result = try CLIProcess.run([
            "generate", "--model", Fixtures.model(name).path, "--prompt", prompt.text, "--greedy",
            "--max-new-tokens", "16", "--json", "--threads", "1"
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.prompt_tokens.map(\.id) == prompt.prompt_ids)
        #expect(output.generated.map(\.id) == prompt.generated)
        #expect(output.generated.map(\.text).joined() == output.text)
        for step in output.generated {
            let chosen = step.top.filter(\.chosen)
            #expect(chosen.count == 1 && chosen[0].id == step.id && chosen[0].sampled_probability == 1)
            #expect(step.uniform == nil)
        }
    }

    @Test("the plain form streams the same text; sampling with a seed repeats itself")
    func plainAndSeeded() throws {
        let model = Fixtures.model("tiny-llama").path
        let arguments = [
            "generate", "--model", model, "--prompt", "The cat sat", "--max-new-tokens", "10", "--temperature", "1.3",
            "--top-k", "20", "--top-p", "0.9", "--seed", "5", "--threads", "1"
        ]
        let json = try CLIProcess.run(arguments + ["--json"])
        let again = try CLIProcess.run(arguments + ["--json"])
        let plain = try CLIProcess.run(arguments)
        #expect(json.status == 0 && plain.status == 0, "stderr: \(json.stderr) \(plain.stderr)")
        #expect(json.stdout == again.stdout)
        let output = try JSONDecoder().decode(Output.self, from: Data(json.stdout.utf8))
        #expect(plain.stdout == output.text + "\n")
        #expect(output.generated.allSatisfy { $0.uniform != nil })
        let sums = output.generated.map { $0.top.map(\.sampled_probability).reduce(0, +) }
        #expect(sums.allSatisfy { $0 <= 1 + 1e-9 })
    }

    @Test(
        "bad values exit non-zero with a message naming the option",
        arguments: [
            (["--temperature", "0"], "--temperature must be a positive number"),
            (["--top-p", "1.5"], "--top-p must be in (0, 1]"),
            (["--top-p", "0"], "--top-p must be in (0, 1]"),
            (["--top-k=-1"], "--top-k must be 0 (keep all) or more"),
            (["--max-new-tokens", "0"], "--max-new-tokens must be at least 1"),
            (["--max-new-tokens", "100000"], "--max-new-tokens 100000 after a prompt of")
        ])
    func badValues(_ spec: ([String], String)) throws {
        let result = try CLIProcess.run(
            ["generate", "--model", Fixtures.model("tiny-llama").path, "--prompt", "Hello"] + spec.0)
        #expect(result.status != 0)
        #expect(result.stderr.contains(spec.1), "stderr: \(result.stderr)")
    }
}
