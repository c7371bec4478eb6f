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

extension Activation {
    /// The activation of 8 values at once, through `VectorExp`: GELU (tanh) as `x·σ(2u)`, which equals
    /// `0.5·x·(1 + tanh(u))`, and SiLU as `x·σ(x)`. The exact GELU falls back to `erff` per lane.
    @inline(__always)
    func vector(_ x: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .geluTanh:
            let u = 0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)
            return x * VectorExp.sigmoid(2 * u)
        case .geluErf:
            var y = x
            for i in 0..<8 { y[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.707_106_781_186_547_6)) }
            return y
        case .silu:
            return x * VectorExp.sigmoid(x)
        case .relu:
            return x.replacing(with: 0, where: x .< 0)
        }
    }
}

/// Applies `body` to `count` elements in 8-lane chunks; the tail is padded with zeros, so every element goes through
/// the same arithmetic wherever it sits.
@inline(__always)
func forEachVector(count: Int, _ body: (_ offset: Int, _ lanes: Int) -> Void) {
    var i = 0
    while i + 8 <= count {
        body(i, 8)
        i += 8
    }
    if i < count { body(i, count - i) }
}

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>, lanes: Int) -> SIMD8<Float> {
    if lanes == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    var v = SIMD8<Float>()
    for j in 0..<lanes { v[j] = p[j] }
    return v
}

@inline(__always)
func storeVector(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, lanes: Int) {
    if lanes == 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    } else {
        for j in 0..<lanes { p[j] = v[j] }
    }
}

/// `out[i] = activation(input[i])` for `count` elements (`out` may alias `input`).
public func activationForward(
    _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, activation: Activation, count: Int
) {
    forEachVector(count: count) { i, lanes in
        storeVector(activation.vector(loadVector(input + i, lanes: lanes)), out + i, lanes: lanes)
    }
}

/// Gated activation: `out[i] = activation(gate[i]) · up[i]` for `count` elements (SwiGLU, GeGLU).
public func gatedActivationForward(
    _ out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>,
    activation: Activation, count: Int
) {
    forEachVector(count: count) { i, lanes in
        let y = activation.vector(loadVector(gate + i, lanes: lanes)) * loadVector(up + i, lanes: lanes)
        storeVector(y, out + i, lanes: lanes)
    }
}
