import Tensors

extension Norm {
    /// `dInput[rows, dim]` (+)= the gradient through this norm of `dOutput`, from the forward's `input` and its per-row
    /// statistics (`mean` is ignored by RMSNorm and may be nil there). `dInput` may alias `dOutput` when not
    /// accumulating.
    func backward(
        _ dInput: UnsafeMutablePointer<Float>, _ dOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
        mean: UnsafePointer<Float>?, rstd: UnsafePointer<Float>, rows: Int, accumulate: Bool = false
    ) {
        weight.withUnsafeBufferPointer { w in
            switch kind {
            case .layerNorm:
                layerNormBackward(
                    dInput, dOutput, input: input, mean: mean!, rstd: rstd, weight: w.baseAddress!, rows: rows,
                    dim: dim, accumulate: accumulate)
            case .rmsNorm(let offset):
                rmsNormBackward(
                    dInput, dOutput, input: input, rstd: rstd, weight: w.baseAddress!, weightOffset: offset,
                    rows: rows, dim: dim, accumulate: accumulate)
            }
        }
    }
}
