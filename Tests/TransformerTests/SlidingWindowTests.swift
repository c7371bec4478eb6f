import Foundation
import Testing
import TestSupport
import Transformer

/// Mistral's sliding window, on the tiny Llama weights loaded as `model_type: mistral`. transformers masks key k for
/// query q unless `q − k < window`. There is no Mistral golden file; these tests check the mask's structure and that
/// a window at least as long as the prompt changes nothing.
@Suite("Sliding-window attention (Mistral)")
struct SlidingWindowTests {
    private func mistral(window: Int?) throws -> DecoderModel {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("tiny-mistral")
        try FileManager.default.copyItem(at: Fixtures.model("tiny-llama"), to: dir)
        let url = dir.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        config["model_type"] = "mistral"
        config["sliding_window"] = window.map { $0 as Any } ?? NSNull()
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        return try ModelLoader.load(directory: dir)
    }

    @Test("a window as long as the prompt, or none, reproduces the Llama pass exactly")
    func longWindow() throws {
        let ids = try GoldenForward.load("tiny-llama").prompts[1].ids
        let llama = try ModelLoader.load(directory: Fixtures.model("tiny-llama")).forward(tokens: ids)
        #expect(try mistral(window: ids.count).forward(tokens: ids).storage == llama.storage)
        #expect(try mistral(window: nil).forward(tokens: ids).storage == llama.storage)
    }

    @Test("a short window zeroes exactly the keys at distance ≥ window and renormalises the rest")
    func shortWindow() throws {
        let ids = try GoldenForward.load("tiny-llama").prompts[1].ids
        let n = ids.count, window = 4
        let model = try mistral(window: window)
        let trace = try model.forward(tokens: ids)
        for l in 0..<model.info.layers {
            for h in 0..<model.info.heads {
                let a = Array(trace.attention(layer: l, head: h))
                for q in 0..<n {
                    let row = a[(q * n)..<((q + 1) * n)]
                    #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                    for k in 0..<n {
                        let visible = k <= q && q - k < window
                        #expect(visible ? a[q * n + k] > 0 : a[q * n + k] == 0, "layer \(l) head \(h) q \(q) k \(k)")
                    }
                }
            }
        }
        let llama = try ModelLoader.load(directory: Fixtures.model("tiny-llama")).forward(tokens: ids)
        #expect(trace.logits(at: n - 1) != llama.logits(at: n - 1))
        // The first `window` positions see the same keys as without a window.
        let visibleRows = window * model.info.dModel
        #expect(Array(trace.pre(1).prefix(visibleRows)) == Array(llama.pre(1).prefix(visibleRows)))
    }
}
