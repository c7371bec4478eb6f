import Foundation

/// Row-wise softmax of attention scores with a causal (and optionally sliding-window) mask, in place.
///
/// - `scores`: `[rows, rowStride]` row-major; row `q` holds the scores of query position `queryOffset + q`
///   against key positions `0..<keys`.
/// - Key `k` is admissible for query `p = queryOffset + q` when `k ≤ p` and, with a `window`, `p − k < window`.
///   Inadmissible entries are set to exactly 0.
/// - `softcap`, when given, replaces each score `s` by `softcap · tanh(s / softcap)` before the softmax.
/// The denominator is accumulated in Double.
public func causalSoftmax(
    _ scores: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, keys: Int,
    queryOffset: Int = 0, window: Int? = nil, softcap: Float? = nil
) {
    for q in 0..<rows {
        let row = scores + q * rowStride
        let position = queryOffset + q
        let last = min(position, keys - 1)
        let first = window.map { max(0, position - $0 + 1) } ?? 0
        if let softcap {
            for k in first...last { row[k] = softcap * tanhf(row[k] / softcap) }
        }
        var maximum = -Float.infinity
        for k in first...last where row[k] > maximum { maximum = row[k] }
        var sum = 0.0
        let shift = SIMD8<Float>(repeating: maximum)
        forEachVector(count: last - first + 1) { i, lanes in
            let e = VectorExp.exp(loadVector(row + first + i, lanes: lanes) - shift)
            storeVector(e, row + first + i, lanes: lanes)
            for j in 0..<lanes { sum += Double(e[j]) }
        }
        let inverse = Float(1.0 / sum)
        for k in first...last { row[k] *= inverse }
        for k in 0..<first { row[k] = 0 }
        if last + 1 < keys {
            for k in (last + 1)..<keys { row[k] = 0 }
        }
    }
}
