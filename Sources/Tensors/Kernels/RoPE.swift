import Foundation

/// How rotary embeddings pair the dimensions of a head.
public enum RoPEStyle: Sendable, Equatable {
    /// Dimensions `i` and `i + rotaryDim/2` form a pair (HF `rotate_half`, llama.cpp NEOX).
    case rotateHalf
    /// Dimensions `2i` and `2i + 1` form a pair (llama.cpp NORM, the original RoFormer/GPT-J layout).
    case interleaved
}

/// Cosines and sines of rotary embeddings for positions `0..<positions`.
///
/// `cos[p, i] = cos(p · inverseFrequencies[i])`, computed in Double and stored as Float, `[positions, pairs]`.
public struct RoPETable: Sendable {
    /// Number of positions covered.
    public let positions: Int
    /// Number of rotated pairs per head (`rotaryDim / 2`).
    public let pairs: Int
    /// `[positions, pairs]` cosines.
    public let cos: [Float]
    /// `[positions, pairs]` sines.
    public let sin: [Float]

    /// Builds the table for `positions` positions from the per-pair inverse frequencies.
    public init(positions: Int, inverseFrequencies: [Double]) {
        self.positions = positions
        self.pairs = inverseFrequencies.count
        var c = [Float](repeating: 0, count: positions * pairs)
        var s = [Float](repeating: 0, count: positions * pairs)
        for p in 0..<positions {
            for i in 0..<pairs {
                let angle = Double(p) * inverseFrequencies[i]
                c[p * pairs + i] = Float(Foundation.cos(angle))
                s[p * pairs + i] = Float(Foundation.sin(angle))
            }
        }
        self.cos = c
        self.sin = s
    }
}

/// Applies rotary position embeddings in place to `rows` positions of `heads` heads.
///
/// - `x`: `[rows, rowStride]`; head `h` of row `r` occupies `x[r·rowStride + h·headDim ..< +headDim]`.
/// - Row `r` is at position `firstPosition + r` of `table`. The first `2·table.pairs` dimensions of each head are
///   rotated (`(a, b) → (a·cos − b·sin, b·cos + a·sin)`), the rest pass through.
public func ropeForward(
    _ x: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, heads: Int, headDim: Int,
    table: RoPETable, style: RoPEStyle, firstPosition: Int = 0
) {
    rotatePairs(
        x, rowStride: rowStride, rows: rows, heads: heads, headDim: headDim, table: table, style: style,
        firstPosition: firstPosition, sineSign: 1)
}

/// Rotates every pair by its angle (`sineSign` 1) or by minus its angle (`sineSign` −1, the transpose).
func rotatePairs(
    _ x: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, heads: Int, headDim: Int,
    table: RoPETable, style: RoPEStyle, firstPosition: Int, sineSign: Float
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
                    let head = x + r * rowStride + h * headDim
                    for i in 0..<pairs {
                        let (ia, ib) = style == .rotateHalf ? (i, i + pairs) : (2 * i, 2 * i + 1)
                        let a = head[ia]
                        let b = head[ib]
                        let sine = sineSign * s[i]
                        head[ia] = a * c[i] - b * sine
                        head[ib] = b * c[i] + a * sine
                    }
                }
            }
        }
    }
}
