/// The tensors a forward pass records. Per-layer fields have one block per layer; the shape of one block is given.
public enum TraceField: CaseIterable, Sendable, Hashable {
    /// Residual stream `[L + 1][n, d]`: block `l` is `pre(l)` (for `l = 0` the embeddings), block `l + 1` is `post(l)`.
    case residual
    /// Residual after the attention add, `[L][n, d]`: `mid = pre + attentionOutput`.
    case mid
    /// What the attention block added to the residual, `[L][n, d]` (after the post-attention norm, if any).
    case attentionOutput
    /// What the FFN block added to the residual, `[L][n, d]` (after the post-FFN norm, if any).
    case mlpOutput
    /// Attention probabilities `[L][H, n, n]`: `[h][q][k]`, exactly 0 for masked keys.
    case attention
    /// Value vectors `[L][n, kvHeads·headDim]` as projected (including the value bias, before repetition for GQA).
    case values
    /// FFN pre-activations `[L][n, ffn]`: `c_fc` output (GPT-2) or gate projection (gated FFNs).
    case ffnPre
    /// FFN post-activations `[L][n, ffn]`: the input of the down projection (neuron activations).
    case ffnPost
    /// Mean removed by the pre-attention norm `[L][n]` (0 for RMSNorm).
    case inputNormMean
    /// Scale `1/σ` (LayerNorm) or `1/rms` (RMSNorm) of the pre-attention norm `[L][n]`.
    case inputNormScale
    /// Mean removed by the pre-FFN norm `[L][n]` (0 for RMSNorm).
    case ffnNormMean
    /// Scale of the pre-FFN norm `[L][n]`.
    case ffnNormScale
    /// Scale `1/rms` of the post-attention norm `[L][n]` (empty without one).
    case postAttentionNormScale
    /// Scale `1/rms` of the post-FFN norm `[L][n]` (empty without one).
    case postFFNNormScale
    /// Mean removed by the final norm `[n]` (0 for RMSNorm).
    case finalNormMean
    /// Scale of the final norm `[n]`.
    case finalNormScale
    /// Next-token logits `[P, V]` for `logitPositions` (after soft-capping, if the model has it).
    case logits
}
