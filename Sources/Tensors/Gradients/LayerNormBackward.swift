/// Gradient of `layerNormForward` with respect to its input, from the recorded per-row statistics.
///
/// With `x̂ = (x − μ)·r` (`r = 1/√(σ² + eps)`) and `g = dy · weight`:
/// `dx = r · (g − mean(g) − x̂ · mean(g · x̂))`. The bias has no effect on `dx`.
/// - `dOutput`, `input`, `dInput`: `[rows, dim]` row-major; `dInput` may alias `dOutput`.
/// - `mean`, `rstd`: `[rows]`, as the forward recorded them.
/// - `accumulate` adds to `dInput` instead of overwriting it (not allowed when aliasing).
/// The means are accumulated in Double.
public func layerNormBackward(
    _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rows: Int, dim: Int, accumulate: Bool = false
) {
    for r in 0..<rows {
        let x = input + r * dim, dy = dOutput + r * dim, dx = dInput + r * dim
        let mu = Double(mean[r]), inverse = Double(rstd[r])
        var sumG = 0.0, sumGX = 0.0
        for j in 0..<dim {
            let g = Double(dy[j]) * Double(weight[j])
            sumG += g
            sumGX += g * (Double(x[j]) - mu) * inverse
        }
        let meanG = sumG / Double(dim), meanGX = sumGX / Double(dim)
        for j in 0..<dim {
            let g = Double(dy[j]) * Double(weight[j])
            let normalized = (Double(x[j]) - mu) * inverse
            let value = Float(inverse * (g - meanG - normalized * meanGX))
            dx[j] = accumulate ? dx[j] + value : value
        }
    }
}
