import Foundation
import Testing
import TestSupport
import Transformer

@Suite("Forward pass input checks")
struct ForwardErrorTests {
    @Test("empty, out-of-vocabulary, too long and bad logit positions are errors, not crashes")
    func badInputs() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-gpt2"))
        let v = model.info.vocabSize
        #expect(throws: TransformerError("the prompt has no tokens: nothing to run")) {
            try model.forward(tokens: [])
        }
        #expect(throws: TransformerError("token id \(v) is outside the vocabulary (0..<\(v))")) {
            try model.forward(tokens: [1, v])
        }
        #expect(throws: TransformerError("token id -1 is outside the vocabulary (0..<\(v))")) {
            try model.forward(tokens: [-1])
        }
        let tooMany = model.info.contextLength + 1
        #expect(
            throws: TransformerError(
                "the prompt has \(tooMany) tokens, more than the model's context of "
                    + "\(model.info.contextLength)")
        ) {
            try model.forward(tokens: [Int](repeating: 1, count: tooMany))
        }
        #expect(throws: TransformerError("logit position 2 is outside the prompt (0..<2)")) {
            try model.forward(tokens: [1, 2], options: ForwardOptions(logitPositions: [2]))
        }
        let traceBytes = try model.forward(tokens: [Int](repeating: 1, count: 100)).storage.count * 4
        #expect(
            throws: TransformerError(
                "recording 100 tokens needs a " + String(format: "%.1f", Double(traceBytes) / 1e6)
                    + " MB trace, more than the 0.5 MB allowed: use a shorter prompt")
        ) {
            try model.forward(tokens: [Int](repeating: 1, count: 100), options: ForwardOptions(maxTraceBytes: 500_000))
        }
    }

    @Test(
        "the pass writes every element of the trace",
        arguments: ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"])
    func writesEverything(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        for workers in [1, 2] {
            let options = ForwardOptions(logitPositions: [0, 3], workers: workers, prefill: .nan)
            let trace = try model.forward(tokens: [3, 1, 4, 1, 5], options: options)
            let unwritten = trace.storage.indices.filter { trace.storage[$0].isNaN }
            #expect(unwritten.isEmpty, "\(unwritten.count) elements left unwritten, first at \(unwritten.first ?? -1)")
        }
    }

    @Test("the trace is planned from the shape and logits exist only for requested positions")
    func traceShape() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-llama"))
        let trace = try model.forward(tokens: [5, 6, 7], options: ForwardOptions(logitPositions: [0, 2]))
        let s = trace.shape
        #expect(s.tokens == 3 && s.layers == model.info.layers && s.logitPositions == [0, 2])
        #expect(trace.logits(at: 1) == nil)
        #expect(trace.logits(at: 2)?.count == model.info.vocabSize)
        #expect(trace.pre(1) == trace.post(0))
        #expect(trace.attention(layer: 0, head: 1).count == 9)
        #expect(trace.storage.count == trace.layout.totalCount)
        // Default: last position only.
        #expect(try model.forward(tokens: [5, 6, 7]).shape.logitPositions == [2])
    }
}
