import Tensors

extension Linear {
    /// `dInput[rows, in]` (+)= `dOutput[rows, out] · W`: the gradient of `apply` with respect to its input (the bias
    /// does not enter). Input features are split over `pool`.
    func backward(
        _ dInput: UnsafeMutablePointer<Float>, inputStride: Int? = nil, _ dOutput: UnsafePointer<Float>,
        outputStride: Int? = nil, rows: Int, accumulate: Bool = false, pool: WorkerPool
    ) {
        weight.withUnsafeBufferPointer { w in
            matmulInputGradient(
                pool: pool, dInput, inputStride: inputStride ?? inFeatures, dOutput,
                outputStride: outputStride ?? outFeatures, weight: w.baseAddress!, layout: layout,
                accumulate: accumulate, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
        }
    }
}
