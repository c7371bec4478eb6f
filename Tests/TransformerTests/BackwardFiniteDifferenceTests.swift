import Foundation
import Testing
import TestSupport
import Transformer

/// The whole backward pass against central finite differences of the forward run from perturbed input embeddings,
/// on every fixture architecture (LayerNorm + GELU + learned positions; RMSNorm + SwiGLU + RoPE + GQA; biases;
/// Gemma's 1 + w, q/k norms, sandwich norms, sliding window, soft-capped logits), for every kind of target.
@Suite("Backward pass vs finite differences")
struct BackwardFiniteDifferenceTests {
    static let models = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"]

    /// `f` of a forward pass run from the input embeddings `rows`.
    static func value(
        _ model: DecoderModel, tokens: [Int], rows: [Float], target: GradientTarget
    ) throws -> Double {
        var options = ForwardOptions(logitPositions: [target.position])
        options.inputEmbeddings = rows
        let trace = try model.forward(tokens: tokens, options: options)
        return trace.logits(at: target.position)!.withContiguousStorageIfAvailable {
            target.value(logits: $0)
        }!
    }

    @Test(
        "∂f/∂e matches central differences (relative error < 1e-2) for logit, logprob, contrast and a middle position",
        arguments: models)
    func inputGradient(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let tokens = try GoldenForward.load(name).prompts[0].ids
        let n = tokens.count, d = model.info.dModel
        let trace = try model.forward(tokens: tokens, options: .allLogits(tokens: n))
        let ranked = TopKOrder.of(trace.logits(at: n - 1)!)
        let middle = TopKOrder.of(trace.logits(at: n / 2)!)[0]
        let targets = [
            GradientTarget(position: n - 1, token: ranked[0]),
            GradientTarget(position: n - 1, token: ranked[0], objective: .logprob),
            GradientTarget(position: n - 1, token: ranked[0], contrast: ranked[1]),
            GradientTarget(position: n / 2, token: middle)
        ]
        let rows = model.inputEmbeddings(tokens: tokens)
        // A spread of entries: every position, several dimensions each.
        let indices = (0..<n).flatMap { t in [0, 7, d / 2, d - 1].map { t * d + $0 } }
        for target in targets {
            let gradients = try model.backward(trace: trace, target: target)
            let f = try Self.value(model, tokens: tokens, rows: rows, target: target)
            #expect(
                abs(gradients.value - f) <= 1e-5 * max(1, abs(f)), "\(name) \(target): f \(gradients.value) vs \(f)")
            let numeric = centralDifferences(rows, step: 1e-2, indices: indices) {
                (try? Self.value(model, tokens: tokens, rows: $0, target: target)) ?? .nan
            }
            let analytic = indices.map { gradients.inputEmbeddings[$0] }
            let error = gradientError(analytic, numeric)
            #expect(error < 1e-2, "\(name) \(target): relative error \(error)")
            // Positions after the target cannot influence it.
            if target.position < n - 1 {
                let after = gradients.inputEmbeddings[((target.position + 1) * d)...]
                #expect(after.allSatisfy { $0 == 0 }, "\(name): gradient after the target position")
            }
        }
    }

    @Test("the workers split the backward without changing it (beyond BLAS's last bits)", arguments: models)
    func workers(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let tokens = try GoldenForward.load(name).prompts[1].ids
        let trace = try model.forward(tokens: tokens)
        let target = GradientTarget(position: tokens.count - 1, token: 5, objective: .logprob)
        let serial = try model.backward(trace: trace, target: target, options: BackwardOptions(recordAttention: true))
        let split = try model.backward(
            trace: trace, target: target, options: BackwardOptions(workers: 2, recordAttention: true))
        #expect(gradientError(split.residual, serial.residual.map(Double.init)) < 1e-5)
        #expect(gradientError(split.mid, serial.mid.map(Double.init)) < 1e-5)
        #expect(gradientError(split.attention!, serial.attention!.map(Double.init)) < 1e-5)
    }

    @Test("bad targets are refused with a message naming what is wrong")
    func badTargets() throws {
        let model = try ModelLoader.load(directory: Fixtures.model("tiny-gpt2"))
        let trace = try model.forward(tokens: [1, 2, 3])
        let V = model.info.vocabSize
        for (target, words) in [
            (GradientTarget(position: 3, token: 1), "position 3"),
            (GradientTarget(position: 2, token: V), "target token \(V)"),
            (GradientTarget(position: 2, token: 1, contrast: -1), "contrast token -1"),
            (GradientTarget(position: 2, token: 1, contrast: 1), "the contrast token is the target token")
        ] {
            #expect {
                try model.backward(trace: trace, target: target)
            } throws: { error in
                "\(error)".contains(words)
            }
        }
        var options = ForwardOptions()
        options.inputEmbeddings = [1, 2]
        #expect(throws: TransformerError.self) { try model.forward(tokens: [1, 2, 3], options: options) }
    }
}

/// Indices of a logit row from the largest down (ties by lower index).
enum TopKOrder {
    static func of(_ row: ArraySlice<Float>) -> [Int] {
        Array(row.indices).sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.map { $0 - row.startIndex }
    }
}
