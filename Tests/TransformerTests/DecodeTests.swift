import Foundation
import Testing
import TestSupport
import Transformer

/// The KV-cached decode step against the full forward pass of the longer text.
///
/// Tolerance: every logit within `1e-4 · |ref| + 1e-5 · max|ref|` of the full pass's (float32 both; the cached pass
/// multiplies other GEMM shapes, so sums round in another order). The printed summaries give the largest differences.
@Suite("KV-cached decoding equals the full forward pass")
struct DecodeTests {
    static let models = GoldenForwardTests.models

    /// Token ids of a fixture's golden prompts joined (long enough to cross the fixtures' sliding windows).
    static func ids(_ name: String) throws -> [Int] {
        try GoldenForward.load(name).prompts.flatMap(\.ids)
    }

    /// Decodes `ids` with a prefill of `prefill` tokens, then steps of `step` tokens, and compares the logits of
    /// every decoded position with the full pass's.
    static func expectMatchesForward(
        _ model: DecoderModel, ids: [Int], prefill: Int, step: Int, workers: Int = 1, label: String
    ) throws {
        let full = try model.forward(tokens: ids, options: .allLogits(tokens: ids.count, workers: workers))
        var cache = model.makeCache()
        let workspace = DecodeWorkspace(workers: workers)
        var position = 0
        var chunk = prefill
        while position < ids.count {
            let end = min(ids.count, position + chunk)
            let logits = try model.decode(
                tokens: Array(ids[position..<end]), cache: &cache, logits: .all, workers: workers, workspace: workspace)
            #expect(cache.position == end)
            let v = model.info.vocabSize
            let expected = (position..<end).flatMap { full.logits(at: $0)!.map(Double.init) }
            let scale = expected.map(abs).max() ?? 0
            let result = compare(
                logits, expected, label: "\(label) positions \(position)..<\(end)", relative: 1e-4,
                absolute: 1e-5 * scale)
            #expect(result.passed, "\(result)")
            #expect(logits.count == (end - position) * v)
            position = end
            chunk = step
        }
        print("\(label): \(ids.count) tokens, prefill \(prefill), steps of \(step) match the full pass")
    }

    @Test("prefill then one token at a time, every fixture architecture", arguments: models)
    func oneTokenSteps(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let ids = try Self.ids(name)
        try Self.expectMatchesForward(model, ids: ids, prefill: 3, step: 1, label: name)
    }

    @Test("steps of several tokens and two workers", arguments: models)
    func multiTokenSteps(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let ids = try Self.ids(name)
        try Self.expectMatchesForward(model, ids: ids, prefill: 7, step: 3, workers: 2, label: "\(name) ×2")
    }

    @Test("weights kept packed (F16 and BF16 tiny-llama) decode as the full pass does", arguments: ["F16", "BF16"])
    func packedWeights(_ dtype: String) throws {
        let directory = try PackedWeightsTests.halfPrecisionCopy(dtype: dtype)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try ModelLoader.load(directory: directory, weights: .quantized)
        #expect(model.layers[0].ffn.up.weight.isPacked && model.tokenEmbedding.isPacked)
        try Self.expectMatchesForward(
            model, ids: try Self.ids("tiny-llama"), prefill: 4, step: 1, label: "tiny-llama \(dtype)")
    }

    @Test("a Llama 3 GGUF with rope_freqs (q/k rows permuted) decodes as the full pass does")
    func llama3GGUF() throws {
        let model = try ModelLoader.load(Fixtures.root.appendingPathComponent("gguf/tiny-llama3.gguf"))
        try Self.expectMatchesForward(
            model, ids: try Self.ids("tiny-llama"), prefill: 5, step: 1, label: "tiny-llama3.gguf")
    }

    /// The real GGUFs with their weights kept quantised: decode steps multiply Q8_0, Q5_0, Q4_K and Q6_K weights
    /// straight from their blocks (`Linear.applyFewRows`), the full pass through decoded tiles.
    @Test(
        "real quantised GGUFs decode one token at a time as the full pass does (fused block kernels)",
        arguments: ["gemma-3-270m-q4_k_m.gguf", "qwen2.5-coder-0.5b-instruct.gguf"])
    func realQuantized(_ file: String) throws {
        let url = Fixtures.realModel(file)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install NAME (scripts/test does)")
        let model = try ModelLoader.load(url, weights: .quantized)
        #expect(model.layers.allSatisfy { $0.ffn.down.weight.isPacked })
        let ids = (0..<12).map { ($0 * 7919 + 11) % model.info.vocabSize }
        try Self.expectMatchesForward(model, ids: ids, prefill: 6, step: 1, label: file)
    }

    @Test("a sliding-window layer keeps only the keys a later query can see")
    func slidingWindowCache() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-gemma3"))
        let window = try #require(model.layers[0].attention.window)
        #expect(model.layers[1].attention.window == nil)
        let ids = try Self.ids("tiny-gemma3")
        #expect(ids.count > 2 * window)
        var cache = model.makeCache()
        _ = try model.decode(tokens: Array(ids.prefix(2 * window)), cache: &cache, logits: .none)
        for id in ids.dropFirst(2 * window) {
            _ = try model.decode(tokens: [id], cache: &cache)
            #expect(cache.layers[0].count == window - 1)
            #expect(cache.layers[0].firstPosition == cache.position - (window - 1))
            #expect(cache.layers[1].count == cache.position && cache.layers[1].firstPosition == 0)
        }
    }

    @Test("the cached keys are the post-RoPE keys of the full pass's positions (GPT-2's values, too)")
    func cachedRows() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-gpt2"))
        let ids = try Self.ids("tiny-gpt2")
        let trace = try model.forward(tokens: ids)
        var cache = model.makeCache()
        _ = try model.decode(tokens: Array(ids.prefix(4)), cache: &cache)
        for id in ids.dropFirst(4) { _ = try model.decode(tokens: [id], cache: &cache) }
        for l in 0..<model.info.layers {
            let expected = trace.slice(.values, l).map(Double.init)
            let result = compare(
                cache.layers[l].values, expected, label: "tiny-gpt2 layer \(l) cached values", relative: 1e-4,
                absolute: 1e-6)
            #expect(result.passed, "\(result)")
        }
    }

    @Test("bad steps are refused and leave the cache as it was")
    func errors() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-llama"))
        let other = try ModelLoader.load(directory: Fixtures.model("tiny-gemma3"))
        var cache = model.makeCache()
        _ = try model.decode(tokens: [1, 2, 3], cache: &cache)
        #expect(throws: TransformerError("a decode step needs at least one token")) {
            try model.decode(tokens: [], cache: &cache)
        }
        #expect(
            throws: TransformerError(
                "token id \(model.info.vocabSize) is outside the vocabulary (0..<\(model.info.vocabSize))")
        ) {
            try model.decode(tokens: [model.info.vocabSize], cache: &cache)
        }
        var foreign = other.makeCache()
        #expect(throws: TransformerError("the KV cache was made for another model (makeCache() of this one)")) {
            try model.decode(tokens: [1], cache: &foreign)
        }
        let context = model.info.contextLength
        #expect(
            throws: TransformerError(
                "decoding to position \(context + 1) passes the model's context of \(context) tokens")
        ) {
            try model.decode(tokens: Array(repeating: 1, count: context - 2), cache: &cache)
        }
        #expect(cache.position == 3 && cache.layers.allSatisfy { $0.count == 3 })
    }
}

/// The real Gemma 3 270M, kept quantised: a prompt past the 512-token window, then single tokens.
@Suite("KV-cached decoding of Gemma 3 270M (quantised) equals the full pass past the sliding window")
struct RealModelDecodeTests {
    @Test("the 520-token golden prompt: prefill 512, then eight single tokens")
    func gemmaPastTheWindow() throws {
        let url = Fixtures.realModel("gemma-3-270m-q4_k_m.gguf")
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install gemma-3-270m (scripts/test does)")
        let model = try ModelLoader.load(url)
        struct Golden: Decodable {
            struct Prompt: Decodable { let ids: [Int] }
            let prompts: [Prompt]
        }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: Fixtures.golden("gemma-3-270m.json")))
        let ids = try #require(golden.prompts.map(\.ids).first { $0.count > 512 + 8 })
        let used = Array(ids.prefix(520))
        let full = try model.forward(
            tokens: used, options: ForwardOptions(logitPositions: Array(512..<520), workers: 2))
        var cache = model.makeCache()
        let workspace = DecodeWorkspace(workers: 2)
        var logits = try model.decode(
            tokens: Array(used.prefix(513)), cache: &cache, workers: 2, workspace: workspace)
        for position in 512..<520 {
            let expected = full.logits(at: position)!.map(Double.init)
            let result = compare(
                logits, expected, label: "gemma-3-270m position \(position)", relative: 1e-4,
                absolute: 1e-5 * (expected.map(abs).max() ?? 0))
            #expect(result.passed, "\(result)")
            print(result)
            if position + 1 < 520 {
                logits = try model.decode(tokens: [used[position + 1]], cache: &cache, workers: 2, workspace: workspace)
            }
        }
        #expect(cache.layers[0].count == 511)
    }
}
