import Tensors

/// A decoder-only transformer in memory: embeddings, blocks, final norm and LM head.
///
/// Every supported architecture (GPT-2, the Llama family, Gemma 3) is an instance of this one shape with different
/// components; the architecture files only map checkpoint tensors and config keys onto it. Immutable and shareable.
public struct DecoderModel: Sendable {
    public let info: ModelInfo
    /// `[V, d]`, dense or packed.
    public let tokenEmbedding: WeightMatrix
    /// Learned absolute positions `[contextLength, d]` (GPT-2), or nil.
    public let positionEmbedding: [Float]?
    /// Multiplier of token embeddings (Gemma: √d), or nil.
    public let embeddingScale: Float?
    public let layers: [DecoderLayer]
    public let finalNorm: Norm
    /// `[d] → [V]`; shares `tokenEmbedding`'s storage when tied.
    public let lmHead: Linear
    /// Final logit soft-cap `c·tanh(z/c)`, or nil.
    public let logitSoftcap: Float?

    public init(
        info: ModelInfo, tokenEmbedding: WeightMatrix, positionEmbedding: [Float]?, embeddingScale: Float?,
        layers: [DecoderLayer], finalNorm: Norm, lmHead: Linear, logitSoftcap: Float?
    ) {
        precondition(
            tokenEmbedding.rows == info.vocabSize && tokenEmbedding.columns == info.dModel,
            "token embedding size mismatch")
        precondition(layers.count == info.layers, "layer count mismatch")
        self.info = info
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.embeddingScale = embeddingScale
        self.layers = layers
        self.finalNorm = finalNorm
        self.lmHead = lmHead
        self.logitSoftcap = logitSoftcap
    }

    /// Parameter counts (total, non-embedding) of a model assembled from these parts.
    public static func parameterCounts(
        tokenEmbedding: WeightMatrix, positionEmbedding: [Float]?, layers: [DecoderLayer],
        finalNorm: Norm, lmHead: Linear, tied: Bool
    ) -> (total: Int, nonEmbedding: Int) {
        let embedding = tokenEmbedding.count + (positionEmbedding?.count ?? 0)
        let body = layers.reduce(0) { $0 + $1.parameterCount } + finalNorm.parameterCount
        let head = tied ? (lmHead.bias?.count ?? 0) : lmHead.parameterCount
        return (embedding + body + head, body + head)
    }

    /// Bytes the weights occupy in memory: 4 per parameter, except packed matrices, which count their stored bytes
    /// (a tied LM head is the embedding table, counted once).
    public var weightBytes: Int {
        var matrices = [tokenEmbedding] + layers.flatMap { $0.projections.map(\.weight) }
        if !info.tiedEmbeddings { matrices.append(lmHead.weight) }
        let saved = matrices.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride - $1.residentBytes }
        return info.parameters * MemoryLayout<Float>.stride - saved
    }
}
