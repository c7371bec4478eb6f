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

/// Gradient of `activationForward`: `dx[i] = dy[i] · act'(x[i])` (`dInput` may alias `dOutput`).
public func activationBackward(
    _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
    activation: Activation, count: Int
) {
    for i in 0..<count { dInput[i] = Float(Double(dOutput[i]) * activation.derivative(Double(input[i]))) }
}

/// Gradient of `gatedActivationForward` (`y = act(gate) · up`): `dGate = dy · up · act'(gate)`,
/// `dUp = dy · act(gate)`. Neither output may alias `dOutput`.
public func gatedActivationBackward(
    dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>,
    gate: UnsafePointer<Float>, up: UnsafePointer<Float>, activation: Activation, count: Int
) {
    for i in 0..<count {
        let g = Double(gate[i]), dy = Double(dOutput[i])
        dGate[i] = Float(dy * Double(up[i]) * activation.derivative(g))
        dUp[i] = Float(dy * activation.value(g))
    }
}
