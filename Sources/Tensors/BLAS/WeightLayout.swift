/// How a projection's weight matrix is stored.
public enum WeightLayout: Sendable, Equatable {
    /// `[out, in]` row-major, as `nn.Linear` stores it (Llama, Gemma, GGUF): `y = x · Wᵀ`.
    case outIn
    /// `[in, out]` row-major, as GPT-2's `Conv1D` stores it: `y = x · W`.
    case inOut
}
