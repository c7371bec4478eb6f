/// Gradient of `ropeForward`, in place: each rotated pair is rotated back by the same angle (the rotation's
/// transpose), `(ga, gb) → (ga·cos + gb·sin, gb·cos − ga·sin)`; unrotated dimensions pass through.
///
/// Arguments as for `ropeForward`, with `gradient` in place of `x`.
public func ropeBackward(
    _ gradient: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, heads: Int, headDim: Int,
    table: RoPETable, style: RoPEStyle, firstPosition: Int = 0
) {
    rotatePairs(
        gradient, rowStride: rowStride, rows: rows, heads: heads, headDim: headDim, table: table, style: style,
        firstPosition: firstPosition, sineSign: -1)
}
