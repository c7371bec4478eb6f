/// Gradient of `ropeForward`, in place: each rotated pair is rotated back by the same angle (the rotation's
/// transpose), `(ga, gb) → (ga·cos + gb·sin, gb·cos − ga·sin)`; unrotated dimensions pass through.
///
/// Arguments as for `ropeForward`, with `gradient` in place of `x`.
public func ropeBackward(
    _ gradient: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, heads: Int, headDim: Int,
    table: RoPETable, style: RoPEStyle, firstPosition: Int = 0
) {
    let pairs = table.pairs
    precondition(2 * pairs <= headDim, "rotary dimension exceeds head dimension")
    precondition(firstPosition + rows <= table.positions, "RoPE table too short")
    guard pairs > 0, rows > 0 else { return }
    table.cos.withUnsafeBufferPointer { cosBuffer in
        table.sin.withUnsafeBufferPointer { sinBuffer in
            for r in 0..<rows {
                let c = cosBuffer.baseAddress! + (firstPosition + r) * pairs
                let s = sinBuffer.baseAddress! + (firstPosition + r) * pairs
                for h in 0..<heads {
                    let head = gradient + r * rowStride + h * headDim
                    for i in 0..<pairs {
                        let (ia, ib) = style == .rotateHalf ? (i, i + pairs) : (2 * i, 2 * i + 1)
                        let ga = head[ia], gb = head[ib]
                        head[ia] = ga * c[i] + gb * s[i]
                        head[ib] = gb * c[i] - ga * s[i]
                    }
                }
            }
        }
    }
}
