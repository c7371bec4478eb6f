import Foundation
import Testing
import TestSupport
import Transformer

/// A batched pass (`ForwardOptions.batch`: copies of the prompt with their own input embeddings, stacked row-wise)
/// gives each copy exactly what a pass of its own gives: the recorded residuals, attention and logits, `f`, and every
/// gradient of the backward. On every fixture architecture, for a logit and a log-probability target.
@Suite("Batched passes equal separate passes")
struct BatchedPassTests {
    /// Three input-embedding sets: the prompt's own rows scaled, and with one row replaced by another token's.
    static func inputs(_ model: DecoderModel, _ tokens: [Int]) -> [[Float]] {
        let e = model.inputEmbeddings(tokens: tokens), d = model.info.dModel
        var replaced = e
        let other = model.inputEmbeddings(tokens: [3])
        for j in 0..<d { replaced[d + j] = other[j] }
        return [e.map { 0.4 * $0 }, replaced, e]
    }

    static func close(_ a: some Collection<Float>, _ b: some Collection<Float>, _ label: String) {
        let scale = max(b.map { abs($0) }.max() ?? 0, 1e-6)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(a.count == b.count && worst <= 1e-5 * scale, "\(label): max |Δ| \(worst), scale \(scale)")
    }

    @Test(
        "forward and backward of three copies at once equal three single passes",
        arguments: BackwardFiniteDifferenceTests.models)
    func equal(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let tokens = try GoldenForward.load(name).prompts[1].ids
        let n = tokens.count, d = model.info.dModel, L = model.info.layers
        let sets = Self.inputs(model, tokens)
        var options = ForwardOptions(logitPositions: [n - 1, n / 2], workers: 2)
        options.batch = sets.count
        options.inputEmbeddings = sets.flatMap { $0 }
        let batched = try model.forward(tokens: tokens, options: options)
        #expect(batched.shape.batch == 3 && batched.shape.rows == 3 * n)
        for objective in GradientTarget.Objective.allCases {
            let target = GradientTarget(position: n - 1, token: 5, objective: objective)
            let together = try model.backward(trace: batched, target: target, options: BackwardOptions(workers: 2))
            #expect(together.values.count == 3)
            for (b, rows) in sets.enumerated() {
                var single = ForwardOptions(logitPositions: [n - 1, n / 2], workers: 2)
                single.inputEmbeddings = rows
                let alone = try model.forward(tokens: tokens, options: single)
                let label = "\(name) copy \(b) \(objective)"
                let block = n * d
                let last = batched.post(L - 1)
                Self.close(last[(last.startIndex + b * block)...].prefix(block), alone.post(L - 1), "\(label) post")
                let attention = batched.slice(.attention, L - 1)
                let perCopy = model.info.heads * n * n
                Self.close(
                    attention[(attention.startIndex + b * perCopy)...].prefix(perCopy), alone.slice(.attention, L - 1),
                    "\(label) attention")
                for p in [n - 1, n / 2] {
                    Self.close(batched.logits(copy: b, at: p)!, alone.logits(at: p)!, "\(label) logits at \(p)")
                }
                let gradients = try model.backward(trace: alone, target: target, options: BackwardOptions(workers: 2))
                #expect(
                    abs(together.values[b] - gradients.value) <= 1e-5 * max(1, abs(gradients.value)), "\(label) f")
                #expect(
                    abs(model.targetValue(trace: batched, target: target, copy: b) - gradients.value)
                        <= 1e-5 * max(1, abs(gradients.value)), "\(label) targetValue")
                for l in 0...L {
                    Self.close(
                        together.pre(l)[(together.pre(l).startIndex + b * block)...].prefix(block),
                        gradients.pre(l), "\(label) ∂f/∂pre(\(l))")
                }
                for l in 0..<L {
                    Self.close(
                        together.mid(l)[(together.mid(l).startIndex + b * block)...].prefix(block),
                        gradients.mid(l), "\(label) ∂f/∂mid(\(l))")
                }
            }
        }
    }

    @Test("a batch of zero copies and embeddings of the wrong size are errors")
    func errors() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-gpt2"))
        var options = ForwardOptions()
        options.batch = 0
        #expect(throws: TransformerError.self) { try model.forward(tokens: [1, 2], options: options) }
        options.batch = 2
        options.inputEmbeddings = model.inputEmbeddings(tokens: [1, 2])
        #expect(throws: TransformerError.self) { try model.forward(tokens: [1, 2], options: options) }
    }
}
