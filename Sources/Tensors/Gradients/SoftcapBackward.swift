/// Gradient of `softcapForward` from its output `y = cap · tanh(x / cap)`: `dx = dy · (1 − (y / cap)²)`.
///
/// `dInput` may alias `dOutput`.
public func softcapBackward(
    _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, output: UnsafePointer<Float>,
    cap: Float, count: Int
) {
    for i in 0..<count {
        let t = output[i] / cap
        dInput[i] = dOutput[i] * (1 - t * t)
    }
}
