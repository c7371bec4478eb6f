public import Tensors

/// Multi-head causal self-attention with grouped-query heads, optional RoPE, q/k norms and a sliding window.
public struct AttentionBlock: Sendable {
    /// `[d] → [H·headDim]`.
    public let query: Linear
    /// `[d] → [kvHeads·headDim]`.
    public let key: Linear
    /// `[d] → [kvHeads·headDim]`.
    public let value: Linear
    /// `[H·headDim] → [d]`.
    public let output: Linear
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    /// Multiplier of `q·k` before the softmax (usually `1/√headDim`).
    public let scale: Float
    /// Per-head RMSNorm of queries and keys (Gemma 3), applied before RoPE.
    public let queryNorm: Norm?
    public let keyNorm: Norm?
    /// Rotary embedding of this layer, or nil for learned absolute positions.
    public let rope: RotaryEmbedding?
    /// Keys at distance `≥ window` from the query are masked (sliding-window layers), or nil.
    public let window: Int?

    public init(
        query: Linear, key: Linear, value: Linear, output: Linear, heads: Int, kvHeads: Int, headDim: Int,
        scale: Float, queryNorm: Norm? = nil, keyNorm: Norm? = nil, rope: RotaryEmbedding?,
        window: Int? = nil
    ) {
        precondition(heads % kvHeads == 0, "heads must be a multiple of kv heads")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.scale = scale
        self.queryNorm = queryNorm
        self.keyNorm = keyNorm
        self.rope = rope
        self.window = window
    }

    /// The key/value head that query head `h` reads.
    public func kvHead(of h: Int) -> Int { h / (heads / kvHeads) }

    /// Number of parameters.
    public var parameterCount: Int {
        query.parameterCount + key.parameterCount + value.parameterCount + output.parameterCount
            + (queryNorm?.parameterCount ?? 0) + (keyNorm?.parameterCount ?? 0)
    }
}

/// Rotary position embedding of one attention layer: per-pair inverse frequencies and the pairing style.
public struct RotaryEmbedding: Sendable, Hashable {
    /// `θ_i` per rotated pair (`rotaryDim / 2` values), after any scaling.
    public let inverseFrequencies: [Double]
    public let style: RoPEStyle

    public init(inverseFrequencies: [Double], style: RoPEStyle) {
        self.inverseFrequencies = inverseFrequencies
        self.style = style
    }
}
