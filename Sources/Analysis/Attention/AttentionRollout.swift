import Transformer

/// Attention rollout (Abnar & Zuidema 2020; `docs/analyses.md` §2): `Â_l = 0.5·mean_h A[l,h] + 0.5·I` with rows
/// renormalised, `R = Â_{L−1} ⋯ Â_0`. `R[q][k]` is the share of token `k` in position `q`'s final representation.
public enum AttentionRollout {
    /// The full `n × n` rollout matrix, row-major, in Double. `heads` restricts the mean to those heads (all when
    /// nil).
    public static func compute(trace: Trace, heads: [Int]? = nil) throws -> [Double] {
        let n = trace.shape.tokens, H = trace.shape.heads
        let chosen = heads ?? Array(0..<H)
        guard !chosen.isEmpty else { throw AnalysisError("choose at least one head for the rollout") }
        for h in chosen { try AnalysisError.check(h, below: H, "head") }
        var rollout = [Double](repeating: 0, count: n * n)
        for i in 0..<n { rollout[i * n + i] = 1 }
        for l in 0..<trace.shape.layers {
            var step = [Double](repeating: 0, count: n * n)
            for h in chosen {
                for (i, a) in trace.attention(layer: l, head: h).enumerated() {
                    step[i] += Double(a) / Double(chosen.count)
                }
            }
            for q in 0..<n {
                var total = 0.0
                for k in 0..<n {
                    step[q * n + k] = 0.5 * step[q * n + k] + (q == k ? 0.5 : 0)
                    total += step[q * n + k]
                }
                for k in 0..<n { step[q * n + k] /= total }
            }
            // R ← Â_l · R (later layers multiply on the left).
            var next = [Double](repeating: 0, count: n * n)
            for q in 0..<n {
                for j in 0..<n where step[q * n + j] != 0 {
                    let w = step[q * n + j]
                    for k in 0..<n { next[q * n + k] += w * rollout[j * n + k] }
                }
            }
            rollout = next
        }
        return rollout
    }
}
