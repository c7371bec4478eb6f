public import Transformer

/// The contribution graph's token-level share of a target (`docs/analyses.md` §7): rollout (§2) applied to the
/// graph's raw (unthresholded) contributions instead of the attention.
///
/// Layer `l` at token level is `M_l[q, k] = Σ_h w_l[q, k, h] + [k = q] · r_l[q]`, the attention edges' weights
/// summed over heads plus the residual edge; each row sums to 1. The FFN block and its residual edge both stay on
/// token `q`, so at token level they are the identity. `R = M_{L−1} ⋯ M_0`, and the score of position `k` is
/// `R[q*, k]`, `q*` the target's position: the share of token `k` in what the target position's last layer holds.
public enum ContributionShare {
    /// The `n` shares of the target position's row, in Double.
    public static func scores(_ contributions: ModelContributions, position: Int) -> [Double] {
        let n = contributions.tokens
        // The row vector r = e_{q*} · M_{L−1} ⋯ M_0, applied from the last layer down.
        var row = [Double](repeating: 0, count: n)
        row[position] = 1
        for layer in contributions.attention.reversed() {
            var next = [Double](repeating: 0, count: n)
            for q in 0..<n where row[q] != 0 {
                for k in layer.sources(of: q) { next[k] += row[q] * layer.tokenWeight(target: q, source: k) }
                next[q] += row[q] * Double(layer.residual[q])
            }
            row = next
        }
        return row
    }

    /// Computes the contributions of the run whose forward pass is `trace`, then the shares.
    public static func compute(model: DecoderModel, trace: Trace, position: Int, workers: Int = 1) throws -> [Double] {
        scores(try ModelContributions.compute(model: model, trace: trace, workers: workers), position: position)
    }
}
