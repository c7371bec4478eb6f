import Analysis
import Foundation
import Testing
import Transformer

/// `TokenWalk` (the Teaching view) read back against the trace it summarises and the analyses it reuses, whose
/// numbers are checked against references elsewhere: the attention rows, the norms, the neurons, the lens of every
/// layer with its rank one layer earlier, and the output distribution.
@Suite("Teaching: one token through the model")
struct TokenWalkTests {
    static func norm(_ values: some Collection<Float>) -> Double {
        values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    static func rank(of id: Int, in logits: [Float]) -> Int {
        logits.enumerated().filter { $0.element > logits[id] || ($0.element == logits[id] && $0.offset < id) }.count
    }

    @Test("every figure of the walk at a middle and the last position of each fixture model")
    func figures() throws {
        for name in AnalysisFixtures.models {
            let model = try AnalysisFixtures.model(name)
            let trace = try model.forward(tokens: try AnalysisFixtures.prompts(name)[0])
            let n = trace.shape.tokens, d = model.info.dModel, H = model.info.heads, m = model.info.ffnDim
            let unembedding = Unembedding(model: model)
            for t in [n / 2, n - 1] {
                let walk = try TokenWalk.compute(model: model, trace: trace, position: t, k: 4, neurons: 3)
                #expect(walk.tokenID == trace.tokens[t] && walk.layers.count == model.info.layers)
                let embedding = Array(trace.pre(0)[(trace.pre(0).startIndex + t * d)...].prefix(d))
                #expect(abs(Double(walk.embeddingNorm) - Self.norm(embedding)) <= 1e-5 * Self.norm(embedding))
                #expect(walk.embeddingHead == Array(embedding.prefix(8)))
                var previousLogits = unembedding.logits(embedding, normalize: true)
                for layer in walk.layers {
                    let l = layer.layer
                    let pattern = trace.slice(.attention, l)
                    for h in 0..<H {
                        let start = pattern.startIndex + (h * n + t) * n
                        #expect(layer.attention[h] == Array(pattern[start...(start + t)]), "\(name) L\(l) h\(h)")
                        #expect(abs(layer.attention[h].reduce(0, +) - 1) < 1e-5)
                    }
                    func rowNorm(_ field: TraceField) -> Double {
                        Self.norm(trace.slice(field, l).dropFirst(t * d).prefix(d))
                    }
                    for (value, field) in [
                        (layer.attentionOutputNorm, TraceField.attentionOutput), (layer.ffnOutputNorm, .mlpOutput),
                        (layer.midNorm, .mid)
                    ] {
                        #expect(abs(Double(value) - rowNorm(field)) <= 1e-5 * rowNorm(field), "\(name) L\(l) \(field)")
                    }
                    let post = Array(trace.post(l).dropFirst(t * d).prefix(d))
                    #expect(abs(Double(layer.residualNorm) - Self.norm(post)) <= 1e-5 * Self.norm(post))

                    let activations = Array(trace.slice(.ffnPost, l).dropFirst(t * m).prefix(m))
                    let strongest = activations.indices.sorted {
                        abs(activations[$0]) > abs(activations[$1])
                            || (abs(activations[$0]) == abs(activations[$1]) && $0 < $1)
                    }
                    #expect(layer.neurons.map(\.index) == Array(strongest.prefix(3)))
                    let contributions = try NeuronContributions.compute(model: model, trace: trace, layer: l, token: t)
                    for neuron in layer.neurons {
                        #expect(neuron.activation == activations[neuron.index])
                        #expect(neuron.weight == contributions.weights[neuron.index])
                    }

                    // The lens: the one-row head against the walk's batched product, within float32 rounding.
                    let logits = unembedding.logits(post, normalize: true)
                    let maximum = Double(logits.max()!)
                    let total = logits.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                    for (i, candidate) in layer.lens.enumerated() {
                        let expected = exp(Double(logits[candidate.id]) - maximum) / total
                        #expect(abs(candidate.probability - expected) <= 1e-4 * expected + 1e-7, "\(name) L\(l) #\(i)")
                        #expect(abs(candidate.logit - logits[candidate.id]) <= 1e-4 * max(1, abs(logits[candidate.id])))
                        #expect(candidate.previousRank == Self.rank(of: candidate.id, in: previousLogits))
                    }
                    let order = logits.indices.sorted {
                        logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1)
                    }
                    #expect(layer.lens.map(\.id) == Array(order.prefix(4)), "\(name) L\(l) lens ids")
                    previousLogits = logits
                }
                #expect(walk.output.count == 20)
                #expect(walk.output.prefix(4).map(\.id) == walk.layers.last!.lens.map(\.id))
                if t == n - 1, let slice = trace.logits(at: t) {
                    let recorded = Array(slice)
                    let order = recorded.indices.sorted {
                        recorded[$0] > recorded[$1] || (recorded[$0] == recorded[$1] && $0 < $1)
                    }
                    #expect(walk.output.map(\.id) == Array(order.prefix(20)), "\(name): the model's own logits")
                }
            }
        }
    }

    @Test("a position past the run or k of 0 is an error")
    func errors() throws {
        let model = try AnalysisFixtures.model("tiny-gpt2")
        let trace = try model.forward(tokens: try AnalysisFixtures.prompts("tiny-gpt2")[0])
        #expect(throws: AnalysisError.self) {
            try TokenWalk.compute(model: model, trace: trace, position: trace.shape.tokens)
        }
        #expect(throws: AnalysisError.self) { try TokenWalk.compute(model: model, trace: trace, position: 0, k: 0) }
    }
}
