import Foundation
import Tensors
import Transformer

/// One token through the model (`docs/analyses.md` §8, the Teaching view): its embedding, then per layer what its
/// attention read (each head's row of the pattern), how much the attention block and the FFN added (norms), the FFN
/// neurons firing hardest, the residual stream's norm and what it would predict already (the logit lens, with each
/// token's rank one layer earlier); finally the next-token distribution. Everything is read from the run's trace; the
/// lens rows of every layer go through the LM head in one product (`LogitRowPass`).
public struct TokenWalk: Sendable, Equatable {
    /// One token of a lens or the final distribution.
    public struct Candidate: Sendable, Equatable {
        public let id: Int
        public let logit: Float
        /// Softmax probability over the whole vocabulary.
        public let probability: Double
        /// 0-based rank one step earlier (the previous layer's residual; the embedding's for layer 0), nil for the
        /// embedding itself.
        public let previousRank: Int?
    }

    /// One neuron of the FFN.
    public struct Neuron: Sendable, Equatable {
        public let index: Int
        /// What the down projection reads (the post-activation value).
        public let activation: Float
        /// Its share of the residual after the layer (`NeuronContributions`).
        public let weight: Float
    }

    public struct Layer: Sendable, Equatable {
        public let layer: Int
        /// Per head, the attention row of the position over positions `0…position` (0 outside a sliding window).
        public let attention: [[Float]]
        /// ‖what the attention block added‖ and ‖what the FFN added‖ (after their post-norms, if any).
        public let attentionOutputNorm: Float
        public let ffnOutputNorm: Float
        /// ‖residual‖ after the attention add (`mid`) and after the layer (`post`).
        public let midNorm: Float
        public let residualNorm: Float
        /// The neurons with the largest |activation|, descending (ties: lower index first).
        public let neurons: [Neuron]
        /// The lens of the residual after the layer (final norm applied).
        public let lens: [Candidate]
    }

    public let position: Int
    public let tokenID: Int
    /// ‖the embedding row as the first layer reads it‖ (Gemma's scaling included) and its first values.
    public let embeddingNorm: Float
    public let embeddingHead: [Float]
    /// The lens of the embedding itself.
    public let embeddingLens: [Candidate]
    public let layers: [Layer]
    /// The next-token distribution after the position: the lens of the last layer, which is the model's output.
    public let output: [Candidate]

    /// The walk of `position`: `k` lens tokens per layer, `neurons` neurons, `embeddingValues` values of the
    /// embedding shown, `outputK` tokens of the final distribution.
    public static func compute(
        model: DecoderModel, trace: Trace, position t: Int, k: Int = 5, neurons: Int = 5, embeddingValues: Int = 8,
        outputK: Int = 20, workers: Int = 1
    ) throws -> TokenWalk {
        try ContributionInputs.check(model: model, trace: trace)
        try AnalysisError.check(t, below: trace.shape.tokens, "token")
        guard k >= 1, neurons >= 1, outputK >= 1 else {
            throw AnalysisError("k, neurons and outputK must be at least 1")
        }
        let shape = trace.shape, d = shape.dModel, L = shape.layers, H = shape.heads, n = shape.tokens
        let m = shape.ffnDim

        // The residual rows of the position: the embedding, then after each layer.
        var rows = [Float](repeating: 0, count: (L + 1) * d)
        for block in 0...L {
            let row = ContributionInputs.row(trace.slice(.residual, block), t, width: d)
            rows.replaceSubrange((block * d)..<((block + 1) * d), with: row)
        }
        let lenses = try Self.lenses(rows: rows, count: L + 1, model: model, k: max(k, outputK), workers: workers)

        var layers: [Layer] = []
        for l in 0..<L {
            let pattern = trace.slice(.attention, l)
            let attention = (0..<H).map { h in
                let start = pattern.startIndex + (h * n + t) * n
                return Array(pattern[start..<(start + t + 1)])
            }
            let activations = Array(ContributionInputs.row(trace.slice(.ffnPost, l), t, width: m))
            let contributions = try NeuronContributions.compute(model: model, trace: trace, layer: l, token: t)
            let top = TopK.largest(activations.map(abs), neurons).map {
                Neuron(index: $0, activation: activations[$0], weight: contributions.weights[$0])
            }
            layers.append(
                Layer(
                    layer: l, attention: attention,
                    attentionOutputNorm: Self.norm(
                        ContributionInputs.row(trace.slice(.attentionOutput, l), t, width: d)),
                    ffnOutputNorm: Self.norm(ContributionInputs.row(trace.slice(.mlpOutput, l), t, width: d)),
                    midNorm: Self.norm(ContributionInputs.row(trace.mid(l), t, width: d)),
                    residualNorm: Self.norm(rows[((l + 1) * d)..<((l + 2) * d)]),
                    neurons: top, lens: lenses.candidates(l + 1, k)))
        }
        return TokenWalk(
            position: t, tokenID: trace.tokens[t], embeddingNorm: Self.norm(rows[0..<d]),
            embeddingHead: Array(rows[0..<min(embeddingValues, d)]), embeddingLens: lenses.candidates(0, k),
            layers: layers, output: lenses.candidates(L, outputK))
    }

    /// The lens tables of `count` residual rows: each row's top tokens with their rank in the row before.
    struct Lenses {
        let top: [[(id: Int, logit: Float, probability: Double)]]
        /// Per row, the rank in the previous row of each of its top tokens.
        let previousRanks: [[Int?]]

        func candidates(_ row: Int, _ k: Int) -> [Candidate] {
            zip(top[row].prefix(k), previousRanks[row].prefix(k)).map {
                Candidate(id: $0.id, logit: $0.logit, probability: $0.probability, previousRank: $1)
            }
        }
    }

    static func lenses(rows: [Float], count: Int, model: DecoderModel, k: Int, workers: Int) throws -> Lenses {
        let V = model.info.vocabSize
        var logits = [Float](repeating: 0, count: count * V)
        let pass = LogitRowPass(model: model, normalize: true)
        try pass.forEachChunk(rows: rows[...], count: count, workers: workers) { chunk, values in
            logits.withUnsafeMutableBufferPointer { out in
                (out.baseAddress! + chunk.lowerBound * V).update(from: values, count: chunk.count * V)
            }
        }
        var top: [[(id: Int, logit: Float, probability: Double)]] = []
        var ranks: [[Int?]] = []
        for row in 0..<count {
            let values = Array(logits[(row * V)..<((row + 1) * V)])
            let maximum = Double(values.max() ?? 0)
            let total = values.reduce(0.0) { $0 + exp(Double($1) - maximum) }
            let ids = TopK.largest(values, k)
            top.append(ids.map { ($0, values[$0], exp(Double(values[$0]) - maximum) / total) })
            ranks.append(
                ids.map { id in
                    guard row > 0 else { return nil }
                    let previous = logits[((row - 1) * V)..<(row * V)], value = previous[previous.startIndex + id]
                    var rank = 0
                    for (i, x) in previous.enumerated() where x > value || (x == value && i < id) { rank += 1 }
                    return rank
                })
        }
        return Lenses(top: top, previousRanks: ranks)
    }

    static func norm(_ values: ArraySlice<Float>) -> Float {
        Float(values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }
}
