/// RMSNorm over the last dimension: `out = x / √(mean(x²) + eps) · (weightOffset + weight)`.
///
/// - `input`, `out`: `[rows, dim]` row-major (may alias).
/// - `weight`: `[dim]`. `weightOffset` is 0 for Llama and 1 for Gemma's HF checkpoints, whose stored weight
///   is `w − 1` (Gemma GGUF files already include the +1: use 0 there).
/// - `rstd`: `[rows]` or nil; receives 1/√(mean(x²) + eps) per row.
/// The mean of squares is accumulated in Double.
public func rmsNormForward(
    _ out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>?,
    _ input: UnsafePointer<Float>, weight: UnsafePointer<Float>, weightOffset: Float = 0,
    eps: Double, rows: Int, dim: Int
) {
    for r in 0..<rows {
        let x = input + r * dim
        let y = out + r * dim
        var squares = 0.0
        for j in 0..<dim {
            let v = Double(x[j])
            squares += v * v
        }
        let inverse = Float(1.0 / (squares / Double(dim) + eps).squareRoot())
        for j in 0..<dim { y[j] = (x[j] * inverse) * (weightOffset + weight[j]) }
        rstd?[r] = inverse
    }
}
