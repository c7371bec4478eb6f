import Foundation

/// Element-wise activation functions of the feed-forward blocks.
public enum Activation: String, Sendable, Equatable, CaseIterable {
    /// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`: GPT-2's `gelu_new`, Gemma's `gelu_pytorch_tanh`.
    case geluTanh
    /// `0.5·x·(1 + erf(x/√2))`: the exact GELU (`gelu`).
    case geluErf
    /// `x·σ(x)`: SiLU / swish, Llama's gate activation.
    case silu
    /// `max(0, x)`.
    case relu

    /// The activation of one value.
    @inlinable
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .geluTanh:
            let inner: Float = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + tanhf(inner))
        case .geluErf:
            return 0.5 * x * (1 + erff(x * 0.7071067811865476))
        case .silu:
            return x / (1 + expf(-x))
        case .relu:
            return max(0, x)
        }
    }
}

/// `out[i] = activation(input[i])` for `count` elements (`out` may alias `input`).
public func activationForward(
    _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, activation: Activation, count: Int
) {
    for i in 0..<count { out[i] = activation(input[i]) }
}

/// Gated activation: `out[i] = activation(gate[i]) · up[i]` for `count` elements (SwiGLU, GeGLU).
public func gatedActivationForward(
    _ out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>,
    activation: Activation, count: Int
) {
    for i in 0..<count { out[i] = activation(gate[i]) * up[i] }
}
