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
    /// The weights of the parts only, row by row: target `q`'s row holds its sources `sources(of: q)` in order, `H`
    /// head weights each, from `rowStart(q)` (`Σ_q |sources(q)| · H` floats: the lower triangle, or the band of a
    /// sliding window, instead of `n·n·H`).
    public let bandedWeights: [Float]
    /// Weight of the residual stream (`pre[q]`) per target `[n]`.
    public let residual: [Float]
    /// L1 norm of the attention output the parts leave unattributed per target `[n]`: the output bias with the
    /// value biases folded in (`b_O + Σ_h b_V W_O[h]`, through a frozen post-norm when there is one).
    public let biasL1: [Float]

    /// Weights given as a full `[q][k][h]` array (`n·n·H`; entries of keys that are not parts are ignored).
    public init(
        layer: Int, tokens: Int, heads: Int, window: Int?, weights: [Float], residual: [Float],
        biasL1: [Float]
    ) {
        precondition(
            weights.count == tokens * tokens * heads,
            "attention contribution sizes do not match \(tokens) tokens and \(heads) heads")
        var banded = [Float](repeating: 0, count: Self.bandedCount(tokens: tokens, heads: heads, window: window))
        for q in 0..<tokens {
            let range = Self.sources(of: q, window: window)
            let from = (q * tokens + range.lowerBound) * heads, to = Self.rowStart(q, window: window) * heads
            for i in 0..<(range.count * heads) { banded[to + i] = weights[from + i] }
        }
        self.init(
            layer: layer, tokens: tokens, heads: heads, window: window, bandedWeights: banded, residual: residual,
            biasL1: biasL1)
    }

    /// Weights given row by row (`bandedWeights`).
    public init(
        layer: Int, tokens: Int, heads: Int, window: Int?, bandedWeights: [Float], residual: [Float],
        biasL1: [Float]
    ) {
        precondition(
            bandedWeights.count == Self.bandedCount(tokens: tokens, heads: heads, window: window)
                && residual.count == tokens && biasL1.count == tokens,
            "attention contribution sizes do not match \(tokens) tokens and \(heads) heads")
        self.layer = layer
        self.tokens = tokens
        self.heads = heads
        self.window = window
        self.bandedWeights = bandedWeights
        self.residual = residual
        self.biasL1 = biasL1
    }

    /// The source tokens that are parts of target `q`, in order.
    public func sources(of q: Int) -> ClosedRange<Int> {
        Self.sources(of: q, window: window)
    }

    public static func sources(of q: Int, window: Int?) -> ClosedRange<Int> {
        (window.map { max(0, q - $0 + 1) } ?? 0)...q
    }

    /// The (source, head) slot of target `q`'s first source: `Σ_{j<q} |sources(j)|`.
    public static func rowStart(_ q: Int, window: Int?) -> Int {
        guard let w = window, q > w else { return q * (q + 1) / 2 }
        return w * (w + 1) / 2 + (q - w) * w
    }

    /// Floats of `bandedWeights` for `tokens` targets.
    public static func bandedCount(tokens n: Int, heads: Int, window: Int?) -> Int {
        rowStart(n, window: window) * heads
    }

    /// Index in `bandedWeights` of target `q`'s first source, head 0.
    func rowOffset(_ q: Int) -> Int { Self.rowStart(q, window: window) * heads }

    /// Whether source `k` is a part of target `q`.
    public func isPart(target q: Int, source k: Int) -> Bool { sources(of: q).contains(k) }

    /// Weight of head `h` carrying source `k` into target `q` (0 when `k` is not a part of `q`).
    public func weight(target q: Int, source k: Int, head h: Int) -> Float {
        let range = sources(of: q)
        guard range.contains(k) else { return 0 }
        return bandedWeights[rowOffset(q) + (k - range.lowerBound) * heads + h]
    }

    /// The `H` head weights of the (target, source) pair (zeros when `k` is not a part of `q`).
    public func headWeights(target q: Int, source k: Int) -> ArraySlice<Float> {
        let range = sources(of: q)
        guard range.contains(k) else { return ArraySlice(repeating: 0, count: heads) }
        let start = rowOffset(q) + (k - range.lowerBound) * heads
        return bandedWeights[start..<(start + heads)]
    }

    /// All weights as a full `[q][k][h]` array (`n·n·H`, zeros where `k` is not a part of `q`): for tests and small
    /// runs; `bandedWeights` holds only the parts.
    public var denseWeights: [Float] {
        var dense = [Float](repeating: 0, count: tokens * tokens * heads)
        for q in 0..<tokens {
            let range = sources(of: q), from = rowOffset(q), to = (q * tokens + range.lowerBound) * heads
            for i in 0..<(range.count * heads) { dense[to + i] = bandedWeights[from + i] }
        }
        return dense
    }

    /// The token-to-token weight: the sum over heads, in Double.
    public func tokenWeight(target q: Int, source k: Int) -> Double {
        headWeights(target: q, source: k).reduce(0.0) { $0 + Double($1) }
    }

    /// Weights after LLM-TT's threshold and renormalisation (`docs/contributions.md` §1.6): per target, every
    /// (source, head) weight and the residual weight at or below `threshold` become 0 and the rest are divided by
    /// their sum, so they again sum to 1. A target whose weights are all at or below the threshold gets all zeros.
    public func thresholded(_ threshold: Double) -> AttentionContributions {
        var kept = bandedWeights, keptResidual = residual
        let n = tokens, H = heads
        for q in 0..<n {
            let rowStart = rowOffset(q), rowEnd = rowStart + sources(of: q).count * H
            var total = 0.0
            for i in rowStart..<rowEnd {
                if Double(kept[i]) > threshold { total += Double(kept[i]) } else { kept[i] = 0 }
            }
            if Double(keptResidual[q]) > threshold { total += Double(keptResidual[q]) } else { keptResidual[q] = 0 }
            for i in rowStart..<rowEnd { kept[i] = total > 0 ? Float(Double(kept[i]) / total) : 0 }
            keptResidual[q] = total > 0 ? Float(Double(keptResidual[q]) / total) : 0
        }
        return AttentionContributions(
            layer: layer, tokens: n, heads: H, window: window, bandedWeights: kept,
            residual: keptResidual, biasL1: biasL1)
    }
}
