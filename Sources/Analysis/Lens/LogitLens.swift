import Foundation
import Tensors
import Transformer

/// The logit lens: what the model would predict from one residual-stream vector, with each top token's rank in the
/// predecessor representation, so a user sees what the block in between moved (LLM-TT's "Top Tokens" with ↑/↓).
public enum LogitLens {
    /// One token of a lens table.
    public struct Entry: Sendable, Equatable {
        public let id: Int
        public let logit: Float
        /// Softmax probability of the lens logits (over the whole vocabulary).
        public let probability: Double
        /// 0-based rank here.
        public let rank: Int
        /// 0-based rank in the predecessor representation, or nil when there is none (the embeddings).
        public let previousRank: Int?

        /// Ranks gained since the predecessor (positive: moved up), or nil.
        public var rankChange: Int? { previousRank.map { $0 - rank } }
    }

    /// The `k` tokens with the largest lens logits of `representation`, descending (ties: lower id first).
    public static func top(
        model: DecoderModel, trace: Trace, representation r: Representation, k: Int,
        normalize: Bool = true
    ) throws -> [Entry] {
        guard k > 0 else { throw AnalysisError("k must be at least 1, got \(k)") }
        let unembedding = Unembedding(model: model)
        let logits = unembedding.logits(try vector(trace: trace, r), normalize: normalize)
        let previous = try r.predecessor.map { unembedding.logits(try vector(trace: trace, $0), normalize: normalize) }
        let maximum = Double(logits.max() ?? 0)
        let total = logits.reduce(0.0) { $0 + Foundation.exp(Double($1) - maximum) }
        return TopK.largest(logits, k).enumerated().map { rank, id in
            Entry(
                id: id, logit: logits[id], probability: Foundation.exp(Double(logits[id]) - maximum) / total,
                rank: rank, previousRank: previous.map { Self.rank(of: id, in: $0) })
        }
    }

    /// The residual-stream vector of a representation (`[d]`).
    public static func vector(trace: Trace, _ r: Representation) throws -> [Float] {
        try AnalysisError.check(r.layer, below: trace.shape.layers, "layer")
        try AnalysisError.check(r.token, below: trace.shape.tokens, "token")
        let block: ArraySlice<Float>
        switch r.point {
        case .pre: block = trace.pre(r.layer)
        case .mid: block = trace.mid(r.layer)
        case .post: block = trace.post(r.layer)
        }
        return Array(ContributionInputs.row(block, r.token, width: trace.shape.dModel))
    }

    /// 0-based rank of `id` in `logits`: tokens with a larger logit, plus tokens with an equal logit and lower id.
    static func rank(of id: Int, in logits: [Float]) -> Int {
        let value = logits[id]
        var rank = 0
        for (i, x) in logits.enumerated() where x > value || (x == value && i < id) { rank += 1 }
        return rank
    }
}
