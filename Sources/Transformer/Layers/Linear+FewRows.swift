import ModelFormats
import Tensors

extension Linear {
    /// Rows up to which `applyFewRows` multiplies Q8_0 and Q5_0 weights straight from their blocks.
    static let fewRows = 4

    /// `apply` for the one or few rows of a decode step: a Q8_0 or Q5_0 `[out, in]` weight (Gemma 3's embedding and
    /// LM head, and its q, k, gate and up projections: most of a small model's bytes) is multiplied straight from its
    /// blocks, reading a quarter of the bytes of float32 or less and decoding nothing into tiles; any other weight
    /// goes through `apply`.
    ///
    /// Each weight is `d · q` in float32, the value `decodeRows` gives, so the products are those of the tiled path;
    /// only the order of the sums differs (8 lanes, then the lanes), within float32 rounding of it.
    func applyFewRows(
        _ output: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, pool: WorkerPool,
        tiles: WeightTiles
    ) {
        guard rows <= Self.fewRows, layout == .outIn, case .packed(let packed) = weight.storage,
            let dot = Self.rowDot(packed.type), inFeatures % 32 == 0, packed.storedRow(0) != nil
        else {
            apply(output, input, rows: rows, pool: pool, tiles: tiles)
            return
        }
        let out = DisjointPointer(output), x = SharedReadPointer(input)
        let inFeatures = self.inFeatures, outFeatures = self.outFeatures
        (bias ?? []).withUnsafeBufferPointer { b in
            let biasBase = bias == nil ? nil : b.baseAddress.map(SharedReadPointer.init)
            pool.forEachChunk(of: outFeatures, alignment: 16) { columns in
                for o in columns {
                    let row = packed.storedRow(o)!
                    for r in 0..<rows {
                        let sum = dot(row, x.base + r * inFeatures, inFeatures / 32)
                        out.base[r * outFeatures + o] = sum + (biasBase.map { $0.base[o] } ?? 0)
                    }
                }
            }
        }
    }
}

extension Linear {
    /// The fused row kernel of an encoding, or nil.
    static func rowDot(
        _ type: GGUFTensorType
    ) -> (@Sendable (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float)? {
        switch type {
        case .q8_0: { q8_0Dot($0, $1, blocks: $2) }
        case .q5_0: { q5_0Dot($0, $1, blocks: $2) }
        default: nil
        }
    }
}

/// `Σ_j (d_b · q_j) · x_j` over `blocks` Q8_0 blocks (`d: f16`, then 32 `Int8`): each block's weights `d · q`
/// (`Dequantization.q8_0`'s values) into a block-sized buffer, then multiplied in 8 float32 lanes.
@inline(__always)
func q8_0Dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { buffer in
        let w = buffer.baseAddress!
        var accumulator = BlockDot()
        for b in 0..<blocks {
            let block = row + b * 34
            let d = FloatConversion.half(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
            let q = (block + 2).assumingMemoryBound(to: Int8.self)
            for j in 0..<32 { w[j] = d * Float(q[j]) }
            accumulator.add(w, x + b * 32)
        }
        return accumulator.sum
    }
}

/// `Σ_j (d_b · (q_j − 16)) · x_j` over `blocks` Q5_0 blocks (`d: f16`, `qh: u32` the fifth bits, 16 bytes of nibbles:
/// low nibbles are elements 0–15, high nibbles 16–31), each block's weights (`Dequantization.q5_0`'s values) into
/// a block-sized buffer, then multiplied in 8 float32 lanes.
@inline(__always)
func q5_0Dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { buffer in
        let w = buffer.baseAddress!
        var accumulator = BlockDot()
        for b in 0..<blocks {
            let block = row + b * 22
            let d = FloatConversion.half(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let qs = (block + 6).assumingMemoryBound(to: UInt8.self)
            for j in 0..<16 {
                let h0 = Int32((qh >> UInt32(j)) & 1) << 4
                w[j] = d * Float((Int32(qs[j] & 0xF) | h0) - 16)
            }
            for j in 0..<16 {
                let h1 = Int32((qh >> UInt32(j + 16)) & 1) << 4
                w[j + 16] = d * Float((Int32(qs[j] >> 4) | h1) - 16)
            }
            accumulator.add(w, x + b * 32)
        }
        return accumulator.sum
    }
}

/// Four 8-lane float32 accumulators of 32-element block products.
struct BlockDot {
    private var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()

    /// Adds `Σ w[j] · x[j]` over 32 elements.
    @inline(__always)
    mutating func add(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>) {
        let wr = UnsafeRawPointer(w), xr = UnsafeRawPointer(x)
        a0 += wr.loadUnaligned(as: SIMD8<Float>.self) * xr.loadUnaligned(as: SIMD8<Float>.self)
        a1 +=
            wr.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            * xr.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        a2 +=
            wr.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            * xr.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
        a3 +=
            wr.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            * xr.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
    }

    /// The lanes summed.
    var sum: Float { ((a0 + a1) + (a2 + a3)).sum() }
}
