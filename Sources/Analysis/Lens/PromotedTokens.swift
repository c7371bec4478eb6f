import Tensors
import Transformer

/// The tokens a block output pushes up (largest logits of its unembedding) and down (smallest): LLM-TT's "Promoted
/// Tokens" table.
public struct PromotedTokens: Sendable, Equatable {
    /// One token and its logit.
    public struct Token: Sendable, Equatable {
        public let id: Int
        public let logit: Float
    }

    /// The block output unembedded.
    public let block: BlockOutput
    /// The `k` largest logits, descending (ties: lower id first).
    public let promoted: [Token]
    /// The `k` smallest logits, ascending (ties: lower id first).
    public let suppressed: [Token]
    /// Whether the final norm was applied to the block output before `W_U` (LLM-TT applies it to differences too).
    public let normalized: Bool

    public static func compute(model: DecoderModel, trace: Trace, block: BlockOutput, k: Int, normalize: Bool = true)
        throws -> PromotedTokens
    {
        guard k > 0 else { throw AnalysisError("k must be at least 1, got \(k)") }
        let logits = Unembedding(model: model).logits(
            try block.vector(model: model, trace: trace),
            normalize: normalize)
        return PromotedTokens(
            block: block,
            promoted: TopK.largest(logits, k).map { Token(id: $0, logit: logits[$0]) },
            suppressed: TopK.smallest(logits, k).map { Token(id: $0, logit: logits[$0]) },
            normalized: normalize)
    }
}
