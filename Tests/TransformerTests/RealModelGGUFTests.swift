import Foundation
import Testing
import TestSupport
import Transformer

/// The real models from PyPI (Gemma 3 270M Q4_K_M, SmolLM2-135M-Instruct Q4_1, Qwen2.5-Coder-0.5B-Instruct and
/// Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF, fetched by `glassbox models install`, which `scripts/test` runs) against
/// transformers loading the same files (`tools/references/make_real_goldens.py`), with the weights kept quantised
/// (the default; `PackedWeightsTests` shows the f32 path gives the same bits).
///
/// Tolerances, float32 engine vs the float32 transformers pass on the same dequantised weights: the top-10 ids at
/// the last position identical, |Δlogit| ≤ 1e-3 on those ten, and the last position's residual norm after every
/// layer within 1e-4 relative.
@Suite("Real models from GGUF: Gemma 3 270M, SmolLM2 135M, Qwen2.5-Coder 0.5B and 1.5B")
struct RealModelGGUFTests {
    struct Golden: Decodable {
        struct Prediction: Decodable {
            let id: Int
            let logit: Double
        }
        struct Prompt: Decodable {
            let text: String
            let ids: [Int]
            let top: [Prediction]
            let residual_norms: [Double]
            let final_norm_l2: Double
        }
        let sha256: String
        let prompts: [Prompt]
    }

    /// (GGUF file, golden file, layers, d_model, heads, KV heads, head size, vocabulary, longest prompt at least).
    static let models = [
        ("gemma-3-270m-q4_k_m.gguf", "gemma-3-270m.json", 18, 640, 4, 1, 256, 262_144, 520),
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m.json", 30, 576, 9, 3, 64, 49_152, 300),
        ("qwen2.5-coder-0.5b-instruct.gguf", "qwen2.5-coder-0.5b.json", 24, 896, 14, 2, 64, 151_936, 300),
        ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-1.5b.json", 28, 1536, 12, 2, 128, 151_936, 300)
    ]

    @Test(
        "top-10 next tokens, their logits and the residual norms match transformers on five prompts",
        arguments: models)
    func matchesTransformers(_ spec: (String, String, Int, Int, Int, Int, Int, Int, Int)) throws {
        let (file, goldenFile, layers, dModel, heads, kvHeads, headDim, vocab, longest) = spec
        let url = Fixtures.realModel(file)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install NAME (scripts/test does)")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Fixtures.golden(goldenFile)))
        let model = try ModelLoader.load(url)
        #expect(model.info.layers == layers && model.info.dModel == dModel && model.info.heads == heads)
        #expect(model.info.kvHeads == kvHeads && model.info.headDim == headDim && model.info.vocabSize == vocab)
        #expect(golden.prompts.contains { $0.ids.count > longest }, "one prompt has more than \(longest) tokens")
        for prompt in golden.prompts {
            let n = prompt.ids.count
            let trace = try model.forward(tokens: prompt.ids, options: ForwardOptions(workers: 2))
            let logits = try #require(trace.logits(at: n - 1))
            let top = NextTokenPrediction.top(logits, k: 10)
            #expect(top.map(\.id) == prompt.top.map(\.id), "top-10 ids for \(n) tokens")
            var worst = 0.0
            for expected in prompt.top {
                let actual = Double(logits[logits.startIndex + expected.id])
                worst = max(worst, abs(actual - expected.logit))
            }
            #expect(worst <= 1e-3, "max |Δlogit| \(worst) over the top 10 for \(n) tokens")
            var worstNorm = 0.0
            for l in 0..<model.info.layers {
                let row = Array(trace.post(l)).suffix(model.info.dModel)
                let norm = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                worstNorm = max(worstNorm, abs(norm - prompt.residual_norms[l]) / prompt.residual_norms[l])
            }
            #expect(worstNorm <= 1e-4, "max relative residual-norm difference \(worstNorm) for \(n) tokens")
            print(
                "\(file) \(n) tokens: top-10 ids identical: \(top.map(\.id) == prompt.top.map(\.id)), "
                    + "max |Δlogit| \(worst), max rel Δ|residual| \(worstNorm)")
        }
    }
}
