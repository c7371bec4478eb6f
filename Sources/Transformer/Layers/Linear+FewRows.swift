import ModelFormats
import Tensors

extension Linear {
    /// Rows up to which `applyFewRows` multiplies Q8_0 weights straight from their blocks.
    static let fewRows = 4

    /// `apply` for the one or few rows of a decode step: a Q8_0 `[out, in]` weight (Gemma 3's embedding and LM head,
    /// most of a small model's bytes) is multiplied straight from its 34-byte blocks, reading a quarter of the bytes
    /// of float32 and decoding nothing into tiles; any other weight goes through `apply`.
    ///
    /// Each weight is `d · q` in float32, the value `decodeRows` gives, so the products are those of the tiled path;
    /// only the order of the sums differs (8 lanes, then the lanes), within float32 rounding of it.
    func applyFewRows(
        _ output: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, pool: WorkerPool,
        tiles: WeightTiles
    ) {
        guard rows <= Self.fewRows, layout == .outIn, case .packed(let packed) = weight.storage,
            packed.type == .q8_0, inFeatures % 32 == 0, packed.storedRow(0) != nil
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
                        let dot = q8_0Dot(row, x.base + r * inFeatures, blocks: inFeatures / 32)
                        out.base[r * outFeatures + o] = dot + (biasBase.map { $0.base[o] } ?? 0)
                    }
                }
            }
        }
    }
}

/// `Σ_j (d_b · q_j) · x_j` over `blocks` Q8_0 blocks (`d: f16`, then 32 `Int8`), in 8 float32 lanes.
@inline(__always)
func q8_0Dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    let vectors = UnsafeRawPointer(x)
    for b in 0..<blocks {
        let block = row + b * 34
        let d = SIMD8<Float>(
            repeating: FloatConversion.half(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self))))
        let q = block.loadUnaligned(fromByteOffset: 2, as: SIMD32<Int8>.self)
        let xs = vectors + b * 128
        let w0 = d * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q.lowHalf.lowHalf))
        let w1 = d * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q.lowHalf.highHalf))
        let w2 = d * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q.highHalf.lowHalf))
        let w3 = d * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q.highHalf.highHalf))
        a0 += w0 * xs.loadUnaligned(as: SIMD8<Float>.self)
        a1 += w1 * xs.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        a2 += w2 * xs.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
        a3 += w3 * xs.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
    }
    return ((a0 + a1) + (a2 + a3)).sum()
}
