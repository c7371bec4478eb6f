import Foundation
import ModelFormats
import Testing
import TestSupport
import Transformer

@Suite("Model loading errors")
struct ModelLoaderErrorTests {
    /// A copy of a fixture model directory that a test may damage.
    private func copy(_ name: String) throws -> URL {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: Fixtures.model(name), to: dir)
        return dir
    }

    /// Rewrites `dir/config.json` with `change` applied to its parsed object.
    private func rewriteConfig(_ dir: URL, _ change: (inout [String: Any]) -> Void) throws {
        let url = dir.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: url)
    }

    private func expectError(_ dir: URL, containing fragment: String) {
        do {
            _ = try ModelLoader.load(dir)
            Issue.record("expected an error containing '\(fragment)'")
        } catch {
            #expect("\(error)".contains(fragment), "error was: \(error)")
        }
    }

    @Test("a missing path, a directory without config.json, and files that are not GGUF models")
    func missing() throws {
        expectError(URL(fileURLWithPath: "/nonexistent/model"), containing: "no such model directory or GGUF file")
        let dir = try Fixtures.temporaryDirectory()
        expectError(dir, containing: "no config.json in this directory")
        let file = dir.appendingPathComponent("model.gguf")
        try Data("not a gguf file at all".utf8).write(to: file)
        expectError(file, containing: "model.gguf")
        expectError(
            Fixtures.root.appendingPathComponent("gguf/quants.gguf"),
            containing: "GGUF architecture \"glassbox-test\" is not supported (supported: gemma3, llama, qwen2)")
        expectError(
            Fixtures.root.appendingPathComponent("gguf/bad-rope-freqs.gguf"),
            containing: "tensor 'rope_freqs.weight' has shape [4], expected [8] (head_dim / 2)")
    }

    @Test("an unknown architecture names the model_type and the supported ones")
    func unknownArchitecture() throws {
        let dir = try copy("tiny-gpt2")
        try Data(#"{"model_type": "mamba", "architectures": ["MambaForCausalLM"]}"#.utf8)
            .write(to: dir.appendingPathComponent("config.json"))
        expectError(
            dir,
            containing: "model_type \"mamba\" is not supported "
                + "(supported: gemma3_text, gpt2, llama, mistral, phi3, qwen2, qwen3)")
    }

    @Test("bad JSON and ill-typed keys in config.json name the key")
    func badConfig() throws {
        let dir = try copy("tiny-llama")
        try rewriteConfig(dir) { $0["num_hidden_layers"] = "two" }
        expectError(dir, containing: "key \"num_hidden_layers\" must be an integer, found \"two\"")
        try rewriteConfig(dir) {
            $0["num_hidden_layers"] = 2
            $0["num_key_value_heads"] = 3
        }
        expectError(dir, containing: "num_attention_heads 4 is not a multiple of num_key_value_heads 3")
        try Data("{\"model_type\": \"llama\", ".utf8).write(to: dir.appendingPathComponent("config.json"))
        expectError(
            dir,
            containing:
                "config.json: not valid JSON (invalid JSON at line 1, column 25: expected a string key in object")
    }

    @Test("absurd dimensions, windows and rotary factors are errors naming the key")
    func absurdValues() throws {
        let llama = try copy("tiny-llama")
        try rewriteConfig(llama) { $0["hidden_size"] = 1 << 40 }
        expectError(
            llama, containing: "key \"hidden_size\" is 1099511627776, larger than any supported model dimension")
        try rewriteConfig(llama) {
            $0["hidden_size"] = 64
            $0["model_type"] = "mistral"
            $0["sliding_window"] = 0
        }
        expectError(llama, containing: "key \"sliding_window\" must be positive, found 0")
        try rewriteConfig(llama) {
            $0["model_type"] = "llama"
            $0["partial_rotary_factor"] = 2
        }
        expectError(llama, containing: "partial_rotary_factor 2.0 is not supported for llama (only 1)")
        try rewriteConfig(llama) {
            $0["partial_rotary_factor"] = nil
            $0["head_dim"] = 1 << 30
        }
        expectError(
            llama,
            containing: "tensor 'model.layers.0.self_attn.q_proj.weight' has shape [64, 64], "
                + "expected [4294967296, 64] from the model's configuration")
        let gpt2 = try copy("tiny-gpt2")
        try rewriteConfig(gpt2) { $0["n_inner"] = -5 }
        expectError(gpt2, containing: "key \"n_inner\" must be positive, found -5")
    }

    @Test("Phi-3: fused qkv_proj and gate_up_proj that disagree with the config name the tensor")
    func phi3FusedShapes() throws {
        let dir = try copy("tiny-phi3")
        // (4 + 2·4)·16 = 192 q/k/v rows expected, (4 + 2·2)·16 = 128 stored.
        try rewriteConfig(dir) { $0["num_key_value_heads"] = 4 }
        expectError(
            dir,
            containing: "tensor 'model.layers.0.self_attn.qkv_proj.weight' has shape [128, 64], expected [192, 64]")
        // gate and up are 2 · 100 rows expected, 2 · 128 stored (down_proj is read after them).
        try rewriteConfig(dir) {
            $0["num_key_value_heads"] = 2
            $0["intermediate_size"] = 100
        }
        expectError(
            dir, containing: "tensor 'model.layers.0.mlp.gate_up_proj.weight' has shape [256, 64], expected [200, 64]")
    }

    @Test("Phi-3: longrope (su), other RoPE scalings and unusable rotary factors are refused")
    func phi3RoPE() throws {
        let dir = try copy("tiny-phi3")
        let factors = [Double](repeating: 1, count: 4)
        for type in ["longrope", "su"] {
            try rewriteConfig(dir) {
                $0["rope_parameters"] = nil
                $0["rope_theta"] = 10_000
                $0["partial_rotary_factor"] = 0.5
                $0["rope_scaling"] = ["type": type, "short_factor": factors, "long_factor": factors]
            }
            expectError(dir, containing: "RoPE scaling type \"\(type)\" is not supported for phi3 (only default")
        }
        try rewriteConfig(dir) {
            $0["rope_scaling"] = nil
            $0["rope_parameters"] = ["rope_type": "linear", "factor": 2, "rope_theta": 10_000]
        }
        expectError(dir, containing: "RoPE scaling type \"linear\" is not supported for phi3")
        try rewriteConfig(dir) { $0["rope_parameters"] = ["rope_type": "default", "partial_rotary_factor": 1.5] }
        expectError(dir, containing: "partial_rotary_factor 1.5 must be in (0, 1]")
        try rewriteConfig(dir) { $0["rope_parameters"] = ["rope_type": "default", "partial_rotary_factor": 0.1] }
        expectError(
            dir,
            containing: "partial_rotary_factor 0.1 rotates 1 of the head's 16 dimensions "
                + "(must be a positive even number)")
        try rewriteConfig(dir) {
            $0["rope_parameters"] = ["rope_type": "default"]
            $0["sliding_window"] = 0
        }
        expectError(dir, containing: "key \"sliding_window\" must be positive, found 0")
    }

    @Test("Qwen3: a sliding window, a partial rotary factor and missing attention biases are errors")
    func qwen3Options() throws {
        let dir = try copy("tiny-qwen3")
        try rewriteConfig(dir) { $0["use_sliding_window"] = true }
        expectError(dir, containing: "use_sliding_window = true is not supported for qwen3")
        try rewriteConfig(dir) {
            $0["use_sliding_window"] = false
            $0["layer_types"] = ["full_attention", "sliding_attention"]
        }
        expectError(
            dir, containing: "layer_types entry \"sliding_attention\" is not supported for qwen3 (only full_attention)")
        try rewriteConfig(dir) {
            $0["layer_types"] = nil
            $0["rope_parameters"] = ["rope_type": "default", "rope_theta": 1e6, "partial_rotary_factor": 0.5]
        }
        expectError(dir, containing: "partial_rotary_factor 0.5 is not supported for qwen3 (only 1)")
        // attention_bias covers q, k, v and o_proj in Qwen3; the fixture has none.
        try rewriteConfig(dir) {
            $0["rope_parameters"] = ["rope_type": "default", "rope_theta": 1e6]
            $0["attention_bias"] = true
        }
        expectError(dir, containing: "missing tensor 'model.layers.0.self_attn.q_proj.bias'")
    }

    @Test("a config that disagrees with the weights names the tensor")
    func shapeMismatch() throws {
        let dir = try copy("tiny-gpt2")
        try rewriteConfig(dir) { $0["n_embd"] = 32 }
        expectError(dir, containing: "tensor 'transformer.wte.weight' has shape [641, 64], expected [641, 32]")
    }

    @Test("a truncated weight file is an error naming the file")
    func truncatedWeights() throws {
        let dir = try copy("tiny-qwen2")
        let url = dir.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        expectError(dir, containing: "model.safetensors: tensor")
    }

    @Test("a missing tensor is an error naming it")
    func missingTensor() throws {
        let dir = try copy("tiny-llama")
        try rewriteConfig(dir) { $0["num_hidden_layers"] = 3 }
        expectError(dir, containing: "missing tensor 'model.layers.2.self_attn.q_proj.weight'")
    }
}
