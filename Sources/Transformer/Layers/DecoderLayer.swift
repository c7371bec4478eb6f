/// One pre-norm decoder block: `mid = pre + [postNorm](attn(norm(pre)))`, `post = mid + [postNorm](ffn(norm(mid)))`.
public struct DecoderLayer: Sendable {
    public let inputNorm: Norm
    public let attention: AttentionBlock
    /// Norm of the attention output before the residual add (Gemma 3 sandwich norm), or nil.
    public let postAttentionNorm: Norm?
    public let ffnNorm: Norm
    public let ffn: FeedForward
    /// Norm of the FFN output before the residual add (Gemma 3), or nil.
    public let postFFNNorm: Norm?

    public init(
        inputNorm: Norm, attention: AttentionBlock, postAttentionNorm: Norm? = nil, ffnNorm: Norm,
        ffn: FeedForward, postFFNNorm: Norm? = nil
    ) {
        self.inputNorm = inputNorm
        self.attention = attention
        self.postAttentionNorm = postAttentionNorm
        self.ffnNorm = ffnNorm
        self.ffn = ffn
        self.postFFNNorm = postFFNNorm
    }

    /// Number of parameters.
    /// The layer's projections: q, k, v, o, then the FFN's up, gate (if any) and down.
    public var projections: [Linear] {
        [attention.query, attention.key, attention.value, attention.output, ffn.up] + (ffn.gate.map { [$0] } ?? [])
            + [ffn.down]
    }

    public var parameterCount: Int {
        inputNorm.parameterCount + attention.parameterCount + (postAttentionNorm?.parameterCount ?? 0)
            + ffnNorm.parameterCount + ffn.parameterCount + (postFFNNorm?.parameterCount ?? 0)
    }
}
