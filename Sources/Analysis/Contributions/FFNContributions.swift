import Transformer

/// How much the FFN block and the residual stream contribute to the residual after one layer, per token
/// (`docs/contributions.md` §1.5): parts `{mlp_out[q]}` and the one-off `mid[q]`, whole `post[q]`.
public struct FFNContributions: Sendable, Equatable {
    /// The layer these weights belong to.
    public let layer: Int
    /// Weight of the FFN output per token `[n]`.
    public let ffn: [Float]
    /// Weight of the residual stream (`mid`) per token `[n]`.
    public let residual: [Float]

    public init(layer: Int, ffn: [Float], residual: [Float]) {
        precondition(ffn.count == residual.count, "FFN contribution sizes differ")
        self.layer = layer
        self.ffn = ffn
        self.residual = residual
    }

    /// Computes the weights of `layer` from a trace.
    public static func compute(trace: Trace, layer l: Int) -> FFNContributions {
        let n = trace.shape.tokens, d = trace.shape.dModel
        let mid = trace.mid(l), post = trace.post(l), out = trace.slice(.mlpOutput, l)
        var ffn = [Float](repeating: 0, count: n), residual = [Float](repeating: 0, count: n)
        for q in 0..<n {
            func row(_ s: ArraySlice<Float>) -> ArraySlice<Float> {
                s[(s.startIndex + q * d)..<(s.startIndex + (q + 1) * d)]
            }
            let whole = row(post)
            let block = Proximity.proximity(part: row(out), whole: whole)
            let rest = Proximity.proximity(part: row(mid), whole: whole)
            ffn[q] = Float(block / (block + rest))
            residual[q] = Float(rest / (block + rest))
        }
        return FFNContributions(layer: l, ffn: ffn, residual: residual)
    }

    /// Threshold and renormalise per token (Glassbox's fix of LLM-TT's all-token denominator,
    /// `docs/contributions.md` §4.1): each weight at or below `threshold` becomes 0 and the two are divided by their
    /// sum (all zeros if both are cut).
    public func thresholded(_ threshold: Double) -> FFNContributions {
        var f = ffn, r = residual
        for q in f.indices {
            let a = Double(f[q]) > threshold ? Double(f[q]) : 0
            let b = Double(r[q]) > threshold ? Double(r[q]) : 0
            let total = a + b
            f[q] = total > 0 ? Float(a / total) : 0
            r[q] = total > 0 ? Float(b / total) : 0
        }
        return FFNContributions(layer: layer, ffn: f, residual: r)
    }
}
