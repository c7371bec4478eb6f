import CBLAS

/// `output[rows, outFeatures] = input[rows, inFeatures] · W (+ bias)` through OpenBLAS.
///
/// - `input` is `[rows, inFeatures]` row-major with row stride `inputStride` (≥ `inFeatures`).
/// - `weight` is `[outFeatures, inFeatures]` (`.outIn`) or `[inFeatures, outFeatures]` (`.inOut`), row-major, with row
///   stride `weightStride` (default: the row length; larger when multiplying by a column block of a wider matrix).
/// - `output` is `[rows, outFeatures]` row-major with row stride `outputStride` (≥ `outFeatures`).
/// - `bias`, when given, has `outFeatures` elements and is added to every row.
/// - `accumulate` adds to `output` instead of overwriting it.
/// One row uses `sgemv` (2 to 5× faster than `sgemm` with M = 1 on this machine kind).
public func matmul(
    _ output: UnsafeMutablePointer<Float>, outputStride: Int,
    _ input: UnsafePointer<Float>, inputStride: Int,
    weight: UnsafePointer<Float>, layout: WeightLayout, weightStride: Int? = nil,
    bias: UnsafePointer<Float>? = nil, accumulate: Bool = false,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    let ldw = Int32(weightStride ?? (layout == .outIn ? inFeatures : outFeatures))
    precondition(rows >= 0 && inFeatures > 0 && outFeatures > 0, "bad matmul shape")
    precondition(inputStride >= inFeatures && outputStride >= outFeatures, "bad matmul strides")
    guard rows > 0 else { return }
    let beta: Float = accumulate ? 1 : 0
    if rows == 1 {
        switch layout {
        case .outIn:
            cblas_sgemv(
                CblasRowMajor, CblasNoTrans, Int32(outFeatures), Int32(inFeatures), 1,
                weight, ldw, input, 1, beta, output, 1)
        case .inOut:
            cblas_sgemv(
                CblasRowMajor, CblasTrans, Int32(inFeatures), Int32(outFeatures), 1,
                weight, ldw, input, 1, beta, output, 1)
        }
    } else {
        switch layout {
        case .outIn:
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                1, input, Int32(inputStride), weight, ldw, beta, output, Int32(outputStride))
        case .inOut:
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                1, input, Int32(inputStride), weight, ldw, beta, output, Int32(outputStride))
        }
    }
    if let bias {
        for r in 0..<rows {
            let row = output + r * outputStride
            for j in 0..<outFeatures { row[j] += bias[j] }
        }
    }
}

/// General `C[m, n] = alpha · op(A) · op(B) + beta · C` with explicit leading dimensions (row-major).
///
/// `A` is `[m, k]` (or `[k, m]` when `transposeA`), `B` is `[k, n]` (or `[n, k]` when `transposeB`); `lda`, `ldb`,
/// `ldc` are the row strides as stored. Used for per-head attention, where heads are column blocks of wider rows.
public func gemm(
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
    _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
