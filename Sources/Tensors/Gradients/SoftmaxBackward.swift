/// Gradient of a row-wise softmax with respect to its scores, in place: with probabilities `p` and the incoming
/// gradient `g` of one row, `ds_k = p_k · (g_k − Σ_j p_j g_j)`.
///
/// - `gradient`: `[rows, rowStride]`; on entry `∂f/∂p`, on return `∂f/∂s` (the scores before the softmax).
/// - `probabilities`: `[rows, rowStride]`, as `causalSoftmax` left them: masked keys are exactly 0, so their score
///   gradient is 0 and the mask needs no separate treatment.
/// The row sums are accumulated in Double.
public func softmaxBackward(
    _ gradient: UnsafeMutablePointer<Float>, probabilities: UnsafePointer<Float>, rowStride: Int, rows: Int,
    keys: Int
) {
    for q in 0..<rows {
        let g = gradient + q * rowStride, p = probabilities + q * rowStride
        var dot = 0.0
        for k in 0..<keys { dot += Double(p[k]) * Double(g[k]) }
        for k in 0..<keys { g[k] = Float(Double(p[k]) * (Double(g[k]) - dot)) }
    }
}
