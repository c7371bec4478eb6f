import Transformer

/// A post-block RMSNorm (Gemma 3's `post_attention_norm` / `post_feedforward_norm`) frozen at one token: with the
/// scale `s[t]` the forward pass recorded, the norm is the linear map `x ↦ s[t] · (offset + w) ⊙ x`, so a part of a
/// block's output can be pushed through it on its own (`docs/contributions.md` §4).
enum FrozenPostNorm {
    /// The multiplier a frozen post-block RMSNorm applies per element (`offset + w`).
    static func effectiveWeight(_ norm: Norm) throws -> [Float] {
        guard case .rmsNorm(let offset) = norm.kind else {
            throw AnalysisError(
                "a LayerNorm after a block cannot be frozen into a linear map: contributions for this "
                    + "architecture are not supported")
        }
        return norm.weight.map { $0 + offset }
    }

    /// The per-element multiplier `s[t] · (offset + w)` of `norm` at token `t` (scales from `field`, block `layer`),
    /// or nil when the block has no post-norm.
    static func multiplier(_ norm: Norm?, trace: Trace, field: TraceField, layer: Int, token t: Int) throws
        -> [Double]?
    {
        guard let norm else { return nil }
        let scales = trace.slice(field, layer)
        let s = Double(scales[scales.startIndex + t])
        return try effectiveWeight(norm).map { Double($0) * s }
    }
}
