/// LayerNorm over the last dimension: `out = (x − μ) / √(σ² + eps) · weight + bias` (biased variance).
///
/// - `input`, `out`: `[rows, dim]` row-major (may alias).
/// - `weight`: `[dim]`; `bias`: `[dim]` or nil.
/// - `mean`, `rstd`: `[rows]` or nil; receive μ and 1/√(σ² + eps) per row (the Trace records them).
/// Statistics are accumulated in Double.
public func layerNormForward(
    _ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?, rstd: UnsafeMutablePointer<Float>?,
    _ input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    eps: Double, rows: Int, dim: Int
) {
    for r in 0..<rows {
        let x = input + r * dim
        let y = out + r * dim
        var sum = 0.0
        for j in 0..<dim { sum += Double(x[j]) }
        let mu = sum / Double(dim)
        var squares = 0.0
        for j in 0..<dim {
            let c = Double(x[j]) - mu
            squares += c * c
        }
        let inverse = 1.0 / (squares / Double(dim) + eps).squareRoot()
        let muF = Float(mu)
        let invF = Float(inverse)
        if let bias {
            for j in 0..<dim { y[j] = (x[j] - muF) * invF * weight[j] + bias[j] }
        } else {
            for j in 0..<dim { y[j] = (x[j] - muF) * invF * weight[j] }
        }
        mean?[r] = muF
        rstd?[r] = invF
    }
}
