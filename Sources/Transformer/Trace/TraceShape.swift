/// The dimensions that size a Trace: a model's shape times the number of tokens (times the batch).
public struct TraceShape: Sendable, Equatable {
    /// Decoder layers `L`.
    public let layers: Int
    /// Tokens `n` in the run.
    public let tokens: Int
    /// Residual width `d`.
    public let dModel: Int
    /// Query heads `H`.
    public let heads: Int
    /// Key/value heads (`H` without grouped-query attention).
    public let kvHeads: Int
    /// Width of one head.
    public let headDim: Int
    /// Feed-forward hidden width (neurons).
    public let ffnDim: Int
    /// Vocabulary size `V`.
    public let vocabSize: Int
    /// Positions whose next-token logits were computed, in the order stored.
    public let logitPositions: [Int]
    /// Whether attention outputs pass a norm before joining the residual (Gemma 3).
    public let hasPostAttentionNorm: Bool
    /// Whether FFN outputs pass a norm before joining the residual (Gemma 3).
    public let hasPostFFNNorm: Bool
    /// Independent copies of the prompt in one pass, stacked row-wise (`[batch·n, d]` residuals, `[batch][H, n, n]`
    /// attention, `[batch][P, V]` logits): 1 for a run; integrated gradients and occlusion batch their perturbed
    /// inputs so the weights stream once per batch.
    public let batch: Int

    /// Rows of the residual stream: `batch · tokens`.
    public var rows: Int { batch * tokens }

    public init(
        layers: Int, tokens: Int, dModel: Int, heads: Int, kvHeads: Int, headDim: Int, ffnDim: Int,
        vocabSize: Int, logitPositions: [Int], hasPostAttentionNorm: Bool = false,
        hasPostFFNNorm: Bool = false, batch: Int = 1
    ) {
        self.layers = layers
        self.tokens = tokens
        self.dModel = dModel
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.ffnDim = ffnDim
        self.vocabSize = vocabSize
        self.logitPositions = logitPositions
        self.hasPostAttentionNorm = hasPostAttentionNorm
        self.hasPostFFNNorm = hasPostFFNNorm
        self.batch = batch
    }
}
