/// Gradient of `rmsNormForward` with respect to its input, from the recorded per-row `r = 1/√(mean(x²) + eps)`.
///
/// With `g = dy · (weightOffset + weight)`: `dx = r·g − x · r³ · mean(g · x)`.
/// - `dOutput`, `input`, `dInput`: `[rows, dim]` row-major; `dInput` may alias `dOutput`.
/// - `rstd`: `[rows]`.
/// - `accumulate` adds to `dInput` instead of overwriting it (not allowed when aliasing).
/// The mean is accumulated in Double.
public func rmsNormBackward(
    _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
    rstd: UnsafePointer<Float>, weight: UnsafePointer<Float>, weightOffset: Float = 0,
    rows: Int, dim: Int, accumulate: Bool = false
) {
    for r in 0..<rows {
        let x = input + r * dim, dy = dOutput + r * dim, dx = dInput + r * dim
        let inverse = Double(rstd[r])
        var sumGX = 0.0
        for j in 0..<dim { sumGX += Double(dy[j]) * Double(weightOffset + weight[j]) * Double(x[j]) }
        let correction = inverse * inverse * inverse * sumGX / Double(dim)
        for j in 0..<dim {
            let g = Double(dy[j]) * Double(weightOffset + weight[j])
            let value = Float(inverse * g - Double(x[j]) * correction)
            dx[j] = accumulate ? dx[j] + value : value
        }
    }
}
