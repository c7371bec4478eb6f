import Foundation

extension Activation {
    /// The derivative `act'(x)` of one value, in Double.
    public func derivative(_ x: Double) -> Double {
        switch self {
        case .geluTanh:
            let k = 0.7978845608028654, c = 0.044715
            let t = Foundation.tanh(k * (x + c * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * c * x * x)
        case .geluErf:
            return 0.5 * (1 + erf(x * 0.7071067811865476)) + x * Foundation.exp(-0.5 * x * x) * 0.3989422804014327
        case .silu:
            let s = 1 / (1 + Foundation.exp(-x))
            return s * (1 + x * (1 - s))
        case .relu:
            return x > 0 ? 1 : 0
        }
    }

    /// The activation of one value, in Double (the gated backward needs `act(gate)`).
    public func value(_ x: Double) -> Double {
        switch self {
        case .geluTanh: return 0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
        case .geluErf: return 0.5 * x * (1 + erf(x * 0.7071067811865476))
        case .silu: return x / (1 + Foundation.exp(-x))
        case .relu: return max(0, x)
        }
    }
}

extension Activation {
    /// `act(x)` and `act'(x)` of 8 values at once, as the forward's `vector` computes `act` (through `VectorExp`):
    /// with `s = σ(2u)`, GELU (tanh) is `x·s` with slope `s + 2·x·s·(1 − s)·k·(1 + 3c·x²)`, since `1 + tanh u = 2s`
    /// and `1 − tanh² u = 4s(1 − s)`; SiLU is `x·σ(x)` with slope `σ(x)·(1 + x·(1 − σ(x)))`. The exact GELU and ReLU
    /// go per lane through the Double forms.
    @inline(__always)
    func vectorWithDerivative(_ x: SIMD8<Float>) -> (value: SIMD8<Float>, derivative: SIMD8<Float>) {
        switch self {
        case .geluTanh:
            let k: Float = 0.797_884_560_802_865_4, c: Float = 0.044715
            let s = VectorExp.sigmoid(2 * k * (x + c * x * x * x))
            return (x * s, s + 2 * k * x * s * (1 - s) * (1 + 3 * c * x * x))
        case .silu:
            let s = VectorExp.sigmoid(x)
            return (x * s, s * (1 + x * (1 - s)))
        case .geluErf, .relu:
            var value = x, slope = x
            for i in 0..<8 {
                value[i] = Float(self.value(Double(x[i])))
                slope[i] = Float(derivative(Double(x[i])))
            }
            return (value, slope)
        }
    }
}

/// Gradient of `activationForward`: `dx[i] = dy[i] · act'(x[i])` (`dInput` may alias `dOutput`).
public func activationBackward(
    _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
    activation: Activation, count: Int
) {
    forEachVector(count: count) { i, lanes in
        let slope = activation.vectorWithDerivative(loadVector(input + i, lanes: lanes)).derivative
        storeVector(loadVector(dOutput + i, lanes: lanes) * slope, dInput + i, lanes: lanes)
    }
}

/// Gradient of `gatedActivationForward` (`y = act(gate) · up`): `dGate = dy · up · act'(gate)`,
/// `dUp = dy · act(gate)`. Neither output may alias `dOutput`.
public func gatedActivationBackward(
    dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>,
    gate: UnsafePointer<Float>, up: UnsafePointer<Float>, activation: Activation, count: Int
) {
    forEachVector(count: count) { i, lanes in
        let (value, slope) = activation.vectorWithDerivative(loadVector(gate + i, lanes: lanes))
        let dy = loadVector(dOutput + i, lanes: lanes)
        storeVector(dy * loadVector(up + i, lanes: lanes) * slope, dGate + i, lanes: lanes)
        storeVector(dy * value, dUp + i, lanes: lanes)
    }
}
