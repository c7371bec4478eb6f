import CBLAS

/// Gradient of `matmul` with respect to its input: `dInput[rows, inFeatures] = dOutput[rows, outFeatures] · W`
/// with `W` read as `[outFeatures, inFeatures]` whatever its storage (`.outIn`: as stored; `.inOut`: transposed).
///
/// - `dOutput`: row stride `outputStride`; `dInput`: row stride `inputStride`; `accumulate` adds to `dInput`.
/// - The input features are split over `pool` (column blocks of 16), each block one BLAS call.
public func matmulInputGradient(
    pool: WorkerPool = .serial,
    _ dInput: UnsafeMutablePointer<Float>, inputStride: Int,
    _ dOutput: UnsafePointer<Float>, outputStride: Int,
    weight: UnsafePointer<Float>, layout: WeightLayout, accumulate: Bool = false,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    precondition(rows >= 0 && inFeatures > 0 && outFeatures > 0, "bad matmul shape")
    precondition(inputStride >= inFeatures && outputStride >= outFeatures, "bad matmul strides")
    guard rows > 0 else { return }
    let dx = DisjointPointer(dInput), dy = SharedReadPointer(dOutput), w = SharedReadPointer(weight)
    let beta: Float = accumulate ? 1 : 0
    pool.forEachChunk(of: inFeatures, alignment: 16) { columns in
        let c = dx.base + columns.lowerBound
        switch layout {
        case .outIn:
            // W[out, in]: the block is columns `columns` of each row.
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns.count), Int32(outFeatures),
                1, dy.base, Int32(outputStride), w.base + columns.lowerBound, Int32(inFeatures), beta, c,
                Int32(inputStride))
        case .inOut:
            // W[in, out]: the block is rows `columns`, used transposed.
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(columns.count), Int32(outFeatures),
                1, dy.base, Int32(outputStride), w.base + columns.lowerBound * outFeatures, Int32(outFeatures),
                beta, c, Int32(inputStride))
        }
    }
}
