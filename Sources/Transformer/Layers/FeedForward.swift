public import Tensors

/// The position-wise feed-forward block: `down(act(up(x)))` or, gated, `down(act(gate(x)) · up(x))`.
public struct FeedForward: Sendable {
    /// `[d] → [ffn]`: the only input projection (plain) or the multiplied one (gated).
    public let up: Linear
    /// `[d] → [ffn]`: the activated projection of a gated FFN (SwiGLU, GeGLU), or nil.
    public let gate: Linear?
    /// `[ffn] → [d]`.
    public let down: Linear
    public let activation: Activation

    public init(up: Linear, gate: Linear?, down: Linear, activation: Activation) {
        self.up = up
        self.gate = gate
        self.down = down
        self.activation = activation
    }

    /// Hidden width (neurons).
    public var hiddenDim: Int { up.outFeatures }

    /// Number of parameters.
    public var parameterCount: Int { up.parameterCount + (gate?.parameterCount ?? 0) + down.parameterCount }
}
