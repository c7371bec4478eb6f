import Foundation
import Testing
import TestSupport
import Transformer

/// The traced forward pass against float64 transformers references of the fixture models.
///
/// Tolerance (float32 engine vs float64 reference): every element within `1e-4 · |ref| + 1e-5 · max|ref|` of the
/// tensor, i.e. 1e-4 relative with a floor of 1e-5 of the tensor's scale for elements near zero. Attention
/// probabilities get 1e-5 absolute. The printed summaries give the largest differences seen.
@Suite(
    "Golden forward pass: GPT-2, Llama (GQA, llama3 RoPE), Qwen2 (biases, tied head), Gemma 3 (MQA, sandwich norms, sliding window), Qwen3 (q/k norms, head_dim ≠ d/H), Phi-3 (fused projections, partial RoPE, sliding window)"
)
struct GoldenForwardTests {
    static let models = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3", "tiny-qwen3", "tiny-phi3"]

    private func check<A: Collection<Float>>(
        _ actual: A, _ expected: [Double], _ label: String,
        absolute: Double? = nil
    ) where A.Index == Int {
        let scale = expected.map(abs).max() ?? 0
        let result = compare(
            actual, expected, label: label, relative: absolute == nil ? 1e-4 : 0,
            absolute: absolute ?? 1e-5 * scale)
        #expect(result.passed, "\(result)")
        print(result)
    }

    /// Per-row mean (0 for RMSNorm) and scale (1/σ or 1/rms, with the norm's eps) of `[n, dim]` rows.
    static func statistics(_ rows: [Double], dim: Int, norm: Norm) -> (mean: [Double], scale: [Double]) {
        var means: [Double] = [], scales: [Double] = []
        for start in stride(from: 0, to: rows.count, by: dim) {
            let row = rows[start..<(start + dim)]
            switch norm.kind {
            case .layerNorm:
                let mean = row.reduce(0, +) / Double(dim)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(dim)
                means.append(mean)
                scales.append(1 / (variance + norm.eps).squareRoot())
            case .rmsNorm:
                means.append(0)
                scales.append(1 / (row.map { $0 * $0 }.reduce(0, +) / Double(dim) + norm.eps).squareRoot())
            }
        }
        return (means, scales)
    }

    /// tiny-llama written as a Llama 3.1-style GGUF (`tools/references/make_llama3_gguf_fixture.py`): q/k rows in
    /// llama.cpp's permuted order and the llama3 scaling as `rope_freqs.weight` factors instead of config keys.
    @Test("tiny-llama as a Llama 3 GGUF with rope_freqs gives the same residuals, attention and logits")
    func llama3GGUF() throws {
        let golden = try GoldenForward.load("tiny-llama")
        let model = try ModelLoader.load(Fixtures.root.appendingPathComponent("gguf/tiny-llama3.gguf"))
        let directory = try ModelLoader.load(directory: Fixtures.model("tiny-llama"))
        #expect(model.info.architecture == "LlamaForCausalLM" && model.info.vocabSize == golden.config.vocab)
        #expect(!model.info.tiedEmbeddings && model.info.kvHeads == golden.config.nKvHeads)
        // The factors reproduce the llama3 frequencies of the config to float32 rounding.
        let frequencies = try #require(model.layers[0].attention.rope?.inverseFrequencies)
        let expected = try #require(directory.layers[0].attention.rope?.inverseFrequencies)
        #expect(zip(frequencies, expected).allSatisfy { abs($0 - $1) <= 1e-6 * $1 }, "\(frequencies) vs \(expected)")
        for (p, prompt) in golden.prompts.enumerated() {
            let n = prompt.ids.count
            let trace = try model.forward(tokens: prompt.ids, options: .allLogits(tokens: n))
            let tag = "tiny-llama3.gguf prompt \(p) (n=\(n))"
            for l in 0..<model.info.layers {
                check(trace.post(l), prompt.residualPost[l], "\(tag) layer \(l) post")
                check(trace.slice(.attention, l), prompt.attentions[l], "\(tag) layer \(l) attention", absolute: 1e-5)
            }
            check((0..<n).flatMap { Array(trace.logits(at: $0)!) }, prompt.logits, "\(tag) logits")
        }
    }

    /// What the Qwen3 and Phi-3 goldens are there to pin down, so that a changed fixture cannot quietly stop testing it.
    @Test("tiny-qwen3 has q/k norms and head_dim ≠ d/H; tiny-phi3 has partial RoPE and a window the prompts cross")
    func architectureFeatures() throws {
        let qwen3 = try ModelLoader.load(directory: Fixtures.model("tiny-qwen3"))
        #expect(qwen3.info.architecture == "Qwen3ForCausalLM" && qwen3.info.tiedEmbeddings)
        #expect(qwen3.info.heads * qwen3.info.headDim != qwen3.info.dModel)
        for layer in qwen3.layers {
            let attention = layer.attention
            #expect(attention.queryNorm?.dim == qwen3.info.headDim && attention.keyNorm?.dim == qwen3.info.headDim)
            #expect(attention.query.bias == nil && attention.output.bias == nil && attention.window == nil)
        }
        let phi3 = try ModelLoader.load(directory: Fixtures.model("tiny-phi3"))
        #expect(phi3.info.architecture == "Phi3ForCausalLM" && !phi3.info.tiedEmbeddings)
        #expect(phi3.info.kvHeads < phi3.info.heads)
        // partial_rotary_factor 0.5: 8 of the 16 dimensions rotate, θ_i = 10000^(-2i/8).
        let expected = (0..<4).map { pow(10_000, -Double(2 * $0) / 8) }
        for layer in phi3.layers {
            let frequencies = try #require(layer.attention.rope?.inverseFrequencies)
            #expect(zip(frequencies, expected).allSatisfy { abs($0 - $1) <= 1e-15 } && frequencies.count == 4)
            #expect(layer.attention.window == 5 && layer.attention.queryNorm == nil)
        }
        #expect(try GoldenForward.load("tiny-phi3").prompts.allSatisfy { $0.ids.count > 5 })
    }

    @Test("every recorded tensor and all logits match", arguments: models)
    func matchesReference(_ name: String) throws {
        let golden = try GoldenForward.load(name)
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        #expect(model.info.layers == golden.config.nLayers && model.info.dModel == golden.config.dModel)
        #expect(model.info.heads == golden.config.nHeads && model.info.kvHeads == golden.config.nKvHeads)
        #expect(model.info.headDim == golden.config.headDim && model.info.ffnDim == golden.config.ffn)
        #expect(model.info.vocabSize == golden.config.vocab)
        #expect(golden.prompts.count >= 2)
        for (p, prompt) in golden.prompts.enumerated() {
            let n = prompt.ids.count
            let trace = try model.forward(tokens: prompt.ids, options: .allLogits(tokens: n))
            let tag = "\(name) prompt \(p) (n=\(n))"
            for l in 0..<model.info.layers {
                check(trace.pre(l), prompt.residualPre[l], "\(tag) layer \(l) pre")
                check(trace.mid(l), prompt.residualMid[l], "\(tag) layer \(l) mid")
                check(trace.post(l), prompt.residualPost[l], "\(tag) layer \(l) post")
                check(trace.slice(.attentionOutput, l), prompt.attentionOutput[l], "\(tag) layer \(l) attn_out")
                check(trace.slice(.mlpOutput, l), prompt.mlpOutput[l], "\(tag) layer \(l) mlp_out")
                check(trace.slice(.values, l), prompt.values[l], "\(tag) layer \(l) values")
                check(trace.slice(.ffnPre, l), prompt.ffnPre[l], "\(tag) layer \(l) ffn_pre")
                check(trace.slice(.ffnPost, l), prompt.ffnPost[l], "\(tag) layer \(l) ffn_post")
                check(trace.slice(.attention, l), prompt.attentions[l], "\(tag) layer \(l) attention", absolute: 1e-5)
            }
            let logits = (0..<n).flatMap { Array(trace.logits(at: $0)!) }
            check(logits, prompt.logits, "\(tag) logits")

            // The final norm of the recorded last residual.
            let last = Array(trace.post(model.info.layers - 1))
            var normed = [Float](repeating: 0, count: last.count)
            model.finalNorm.apply(&normed, mean: nil, scale: nil, last, rows: n)
            check(normed, prompt.finalNormed, "\(tag) final norm")

            // Recorded norm statistics against the same statistics of the golden residuals, in Double.
            for l in 0..<model.info.layers {
                let layer = model.layers[l]
                let input = Self.statistics(prompt.residualPre[l], dim: model.info.dModel, norm: layer.inputNorm)
                check(trace.slice(.inputNormMean, l), input.mean, "\(tag) layer \(l) input norm mean")
                check(trace.slice(.inputNormScale, l), input.scale, "\(tag) layer \(l) input norm scale")
                let ffn = Self.statistics(prompt.residualMid[l], dim: model.info.dModel, norm: layer.ffnNorm)
                check(trace.slice(.ffnNormMean, l), ffn.mean, "\(tag) layer \(l) ffn norm mean")
                check(trace.slice(.ffnNormScale, l), ffn.scale, "\(tag) layer \(l) ffn norm scale")
            }
            let final = Self.statistics(
                prompt.residualPost[model.info.layers - 1], dim: model.info.dModel,
                norm: model.finalNorm)
            check(trace.slice(.finalNormMean), final.mean, "\(tag) final norm mean")
            check(trace.slice(.finalNormScale), final.scale, "\(tag) final norm scale")
        }
    }

    @Test(
        "the default pass computes only the last position's logits, equal to the all-positions pass",
        arguments: models)
    func lastLogitsOnly(_ name: String) throws {
        let golden = try GoldenForward.load(name)
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let ids = golden.prompts[0].ids
        let trace = try model.forward(tokens: ids)
        let v = model.info.vocabSize
        check(
            trace.logits(at: ids.count - 1)!, Array(golden.prompts[0].logits[((ids.count - 1) * v)...]),
            "\(name) last-position logits")
    }
}
