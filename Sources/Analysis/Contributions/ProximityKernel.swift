/// The fast L1 proximity used for attention parts: `max(‖y‖₁ − Σ_j |a·u_j − y_j + 1e-6|, 1e-5)`.
///
/// `shiftedWhole` holds `1e-6 − y_j` (prepared once per target), so each element costs one FMA, an absolute value and
/// an add. Lanes accumulate in Float over blocks of 128 elements and the blocks in Double, which keeps the
/// reduction error near Double's while running at SIMD speed.
enum ProximityKernel {
    private static let block = 128

    /// `Σ_j |a·u_j + shiftedWhole_j|` over `count` elements.
    @inline(__always)
    static func distance(
        scale a: Float, _ u: UnsafePointer<Float>, shiftedWhole w: UnsafePointer<Float>,
        count: Int
    ) -> Double {
        var total = 0.0
        var j = 0
        let scale = SIMD8<Float>(repeating: a)
        let magnitude = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
        while j + 8 <= count {
            let end = min(count, j + block) & ~7
            var lanes = SIMD8<Float>()
            while j < end {
                let x = UnsafeRawPointer(u + j).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD8<Float>.self)
                let v = y.addingProduct(x, scale)
                lanes += unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & magnitude, to: SIMD8<Float>.self)
                j += 8
            }
            let low = lanes.lowHalf + lanes.highHalf
            total += Double(low[0]) + Double(low[1]) + Double(low[2]) + Double(low[3])
        }
        while j < count {
            total += Double(abs(a * u[j] + w[j]))
            j += 1
        }
        return total
    }

    /// `1e-6 − y_j` into `out`, and `‖y‖₁` in Double.
    static func prepare(whole y: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) -> Double {
        var size = 0.0
        for j in 0..<count {
            size += Double(abs(y[j]))
            out[j] = Float(Proximity.distanceEpsilon - Double(y[j]))
        }
        return size
    }

    /// The proximity from the two sums.
    static func proximity(size: Double, distance: Double) -> Double { max(size - distance, Proximity.floor) }
}
