import Transformer

/// Target × source maps of one layer for the heatmaps: a head's attention pattern and its contributions, or the
/// aggregate over heads.
public enum AttentionMaps {
    /// Attention probabilities `[q][k]` (`n·n`) of `head`, or with `head` nil the mean over heads (rows still sum
    /// to 1). Masked keys are 0.
    public static func pattern(trace: Trace, layer l: Int, head: Int?) throws -> [Float] {
        try AnalysisError.check(l, below: trace.shape.layers, "layer")
        let H = trace.shape.heads
        if let head {
            try AnalysisError.check(head, below: H, "head")
            return Array(trace.attention(layer: l, head: head))
        }
        let size = trace.shape.tokens * trace.shape.tokens
        var sum = [Double](repeating: 0, count: size)
        for h in 0..<H {
            for (i, a) in trace.attention(layer: l, head: h).enumerated() { sum[i] += Double(a) }
        }
        return sum.map { Float($0 / Double(H)) }
    }

    /// Contribution weights `[q][k]` (`n·n`) of `head`, or with `head` nil the sum over heads (the token-to-token
    /// edge weight). Keys that are not parts are 0.
    public static func contributions(_ c: AttentionContributions, head: Int?) throws -> [Float] {
        let n = c.tokens, H = c.heads
        if let head { try AnalysisError.check(head, below: H, "head") }
        var map = [Float](repeating: 0, count: n * n)
        for q in 0..<n {
            for k in c.sources(of: q) {
                map[q * n + k] =
                    head.map { c.weight(target: q, source: k, head: $0) }
                    ?? Float(c.tokenWeight(target: q, source: k))
            }
        }
        return map
    }
}
