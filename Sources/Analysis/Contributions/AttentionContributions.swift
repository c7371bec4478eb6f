/// How much each (source token, head) and the residual stream contribute to the residual after one layer's attention,
/// per target token (`docs/contributions.md` §1.4 with Glassbox's choices of §4).
///
/// For target `q` the parts are `D[q,k,h] = A[h][q,k] · (v[k,kv(h)] − b_V) · W_O[h]` (frozen through a post-attention
/// norm when the model has one) for every key `k` the target can see, plus the one-off part `pre[q]`; the whole is
/// `mid[q]`. Weights of one target sum to 1 (before thresholding). Keys the target cannot see (future keys and keys
/// outside a sliding window) are not parts: their weight is 0.
public struct AttentionContributions: Sendable, Equatable {
    /// The layer these weights belong to.
    public let layer: Int
    /// Tokens `n` in the run.
    public let tokens: Int
    /// Query heads `H`.
    public let heads: Int
    /// Keys at distance `≥ window` from the target are not parts, or nil when every earlier key is.
    public let window: Int?
    /// `[q][k][h]` (`n·n·H`); 0 where `k` is not a part of `q`.
    public let weights: [Float]
    /// Weight of the residual stream (`pre[q]`) per target `[n]`.
    public let residual: [Float]
    /// L1 norm of the attention output the parts leave unattributed per target `[n]`: the output bias with the
    /// value biases folded in (`b_O + Σ_h b_V W_O[h]`, through a frozen post-norm when there is one).
    public let biasL1: [Float]

    public init(
        layer: Int, tokens: Int, heads: Int, window: Int?, weights: [Float], residual: [Float],
        biasL1: [Float]
    ) {
        precondition(
            weights.count == tokens * tokens * heads && residual.count == tokens && biasL1.count == tokens,
            "attention contribution sizes do not match \(tokens) tokens and \(heads) heads")
        self.layer = layer
        self.tokens = tokens
        self.heads = heads
        self.window = window
        self.weights = weights
        self.residual = residual
        self.biasL1 = biasL1
    }

    /// The source tokens that are parts of target `q`, in order.
    public func sources(of q: Int) -> ClosedRange<Int> {
        Self.sources(of: q, window: window)
    }

    static func sources(of q: Int, window: Int?) -> ClosedRange<Int> {
        (window.map { max(0, q - $0 + 1) } ?? 0)...q
    }

    /// Whether source `k` is a part of target `q`.
    public func isPart(target q: Int, source k: Int) -> Bool { sources(of: q).contains(k) }

    /// Weight of head `h` carrying source `k` into target `q`.
    public func weight(target q: Int, source k: Int, head h: Int) -> Float { weights[(q * tokens + k) * heads + h] }

    /// The `H` head weights of the (target, source) pair.
    public func headWeights(target q: Int, source k: Int) -> ArraySlice<Float> {
        let start = (q * tokens + k) * heads
        return weights[start..<(start + heads)]
    }

    /// The token-to-token weight: the sum over heads, in Double.
    public func tokenWeight(target q: Int, source k: Int) -> Double {
        headWeights(target: q, source: k).reduce(0.0) { $0 + Double($1) }
    }

    /// Weights after LLM-TT's threshold and renormalisation (`docs/contributions.md` §1.6): per target, every
    /// (source, head) weight and the residual weight at or below `threshold` become 0 and the rest are divided by
    /// their sum, so they again sum to 1. A target whose weights are all at or below the threshold gets all zeros.
    public func thresholded(_ threshold: Double) -> AttentionContributions {
        var kept = weights, keptResidual = residual
        let n = tokens, H = heads
        for q in 0..<n {
            let range = sources(of: q)
            let rowStart = (q * n + range.lowerBound) * H, rowEnd = (q * n + range.upperBound + 1) * H
            var total = 0.0
            for i in rowStart..<rowEnd {
                if Double(kept[i]) > threshold { total += Double(kept[i]) } else { kept[i] = 0 }
            }
            if Double(keptResidual[q]) > threshold { total += Double(keptResidual[q]) } else { keptResidual[q] = 0 }
            for i in rowStart..<rowEnd { kept[i] = total > 0 ? Float(Double(kept[i]) / total) : 0 }
            keptResidual[q] = total > 0 ? Float(Double(keptResidual[q]) / total) : 0
        }
        return AttentionContributions(
            layer: layer, tokens: n, heads: H, window: window, weights: kept,
            residual: keptResidual, biasL1: biasL1)
    }
}
