import ModelFormats
import Tensors

extension Linear {
    /// Rows up to which `applyFewRows` multiplies block-encoded weights straight from their blocks.
    static let fewRows = 4

    /// `apply` for the one or few rows of a decode step: a Q8_0, Q5_0, Q4_K, Q5_K or Q6_K `[out, in]` weight (Gemma
    /// 3's embedding and LM head, its projections; Qwen's and Llama's K-quant layers) is multiplied straight from its
    /// blocks, reading a quarter of the bytes of float32 or less and decoding nothing into tiles; any other weight
    /// goes through `apply`.
    ///
    /// Each weight is the float32 value `decodeRows` gives, so the products are those of the tiled path; only the
    /// order of the sums differs (8 lanes, then the lanes), within float32 rounding of it.
    func applyFewRows(
        _ output: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, rows: Int, pool: WorkerPool,
        tiles: WeightTiles
    ) {
        guard rows <= Self.fewRows, layout == .outIn, case .packed(let packed) = weight.storage,
            let dot = Self.rowDot(packed.type), inFeatures % packed.type.blockElements == 0,
            packed.storedRow(0) != nil
        else {
            apply(output, input, rows: rows, pool: pool, tiles: tiles)
            return
        }
        let out = DisjointPointer(output), x = SharedReadPointer(input)
        let inFeatures = self.inFeatures, outFeatures = self.outFeatures, blockElements = packed.type.blockElements
        (bias ?? []).withUnsafeBufferPointer { b in
            let biasBase = bias == nil ? nil : b.baseAddress.map(SharedReadPointer.init)
            pool.forEachChunk(of: outFeatures, alignment: 16) { columns in
                for o in columns {
                    let row = packed.storedRow(o)!
                    for r in 0..<rows {
                        let sum = dot(row, x.base + r * inFeatures, inFeatures / blockElements)
                        out.base[r * outFeatures + o] = sum + (biasBase.map { $0.base[o] } ?? 0)
                    }
                }
            }
        }
    }
}

extension Linear {
    /// The fused row kernel of an encoding (its third argument counts the encoding's blocks), or nil.
    static func rowDot(
        _ type: GGUFTensorType
    ) -> (@Sendable (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float)? {
        switch type {
        case .q8_0: return { q8_0Dot($0, $1, blocks: $2) }
        case .q5_0: return { q5_0Dot($0, $1, blocks: $2) }
        case .q4_K, .q5_K, .q6_K:
            guard let kernel = Dequantization.kernel(for: type) else { return nil }
            let bytes = type.blockBytes
            return { superBlockDot(kernel, bytes: bytes, $0, $1, blocks: $2) }
        default: return nil
        }
    }
}

/// `Σ_j (d_b · q_j) · x_j` over `blocks` Q8_0 blocks (`d: f16`, then 32 `Int8`): each block's weights `d · q`
/// (`Dequantization.q8_0`'s values), eight at a time in float32 lanes, multiplied into four 8-lane accumulators.
@inline(__always)
func q8_0Dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    var accumulator = BlockDot()
    let xr = UnsafeRawPointer(x)
    for b in 0..<blocks {
        let block = row + b * 34
        let d = SIMD8<Float>(
            repeating: FloatConversion.half(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self))))
        let q = block + 2, xb = xr + b * 128
        accumulator.add(
            d * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q.loadUnaligned(as: SIMD8<Int8>.self))),
            d
                * SIMD8<Float>(
                    SIMD8<Int32>(truncatingIfNeeded: q.loadUnaligned(fromByteOffset: 8, as: SIMD8<Int8>.self))),
            d
                * SIMD8<Float>(
                    SIMD8<Int32>(truncatingIfNeeded: q.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int8>.self))),
            d
                * SIMD8<Float>(
                    SIMD8<Int32>(truncatingIfNeeded: q.loadUnaligned(fromByteOffset: 24, as: SIMD8<Int8>.self))),
            xb)
    }
    return accumulator.sum
}

/// `Σ_j (d_b · (q_j − 16)) · x_j` over `blocks` Q5_0 blocks (`d: f16`, `qh: u32` the fifth bits, 16 bytes of nibbles:
/// low nibbles are elements 0–15, high nibbles 16–31): each block's weights (`Dequantization.q5_0`'s values) formed
/// eight at a time in 32-bit lanes (the shapes the compiler turns into single vector instructions), multiplied into
/// four 8-lane accumulators.
@inline(__always)
func q5_0Dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    var accumulator = BlockDot()
    let xr = UnsafeRawPointer(x)
    let shifts = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
    let sixteen = SIMD8<Int32>(repeating: 16)
    for b in 0..<blocks {
        let block = row + b * 22
        let d = SIMD8<Float>(
            repeating: FloatConversion.half(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self))))
        let qh = SIMD8<Int32>(
            repeating: Int32(bitPattern: UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))))
        let first = SIMD8<Int32>(truncatingIfNeeded: block.loadUnaligned(fromByteOffset: 6, as: SIMD8<UInt8>.self))
        let second = SIMD8<Int32>(truncatingIfNeeded: block.loadUnaligned(fromByteOffset: 14, as: SIMD8<UInt8>.self))
        /// Elements `8k…8k+7`: nibbles `nibble` with fifth bits `k·8…` of `qh`, less 16, times `d`.
        @inline(__always) func weights(_ nibbles: SIMD8<Int32>, _ k: Int32) -> SIMD8<Float> {
            let fifth = ((qh &>> (shifts &+ 8 * k)) & 1) &<< 4
            return d * SIMD8<Float>((nibbles | fifth) &- sixteen)
        }
        accumulator.add(
            weights(first & 0xF, 0), weights(second & 0xF, 1), weights(first &>> 4, 2), weights(second &>> 4, 3),
            xr + b * 128)
    }
    return accumulator.sum
}

/// `Σ_j w_j · x_j` over `blocks` 256-element K-quant blocks of `bytes` bytes each: each block decoded by the
/// encoding's own `Dequantization` kernel (so each `w_j` is its value) into a block-sized buffer, then multiplied in
/// 8 float32 lanes.
@inline(__always)
func superBlockDot(
    _ decode: Dequantization.Kernel, bytes: Int, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int
) -> Float {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { buffer in
        let w = buffer.baseAddress!
        var accumulator = BlockDot()
        for b in 0..<blocks {
            decode(row + b * bytes, w, 1)
            for part in 0..<8 { accumulator.add(w + 32 * part, x + b * 256 + 32 * part) }
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

    /// Adds `Σ w[j] · x[j]` over 32 elements whose weights are already in lanes.
    @inline(__always)
    mutating func add(
        _ w0: SIMD8<Float>, _ w1: SIMD8<Float>, _ w2: SIMD8<Float>, _ w3: SIMD8<Float>, _ x: UnsafeRawPointer
    ) {
        a0 += w0 * x.loadUnaligned(as: SIMD8<Float>.self)
        a1 += w1 * x.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        a2 += w2 * x.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
        a3 += w3 * x.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
    }

    /// The lanes summed.
    @inline(__always)
    var sum: Float { ((a0 + a1) + (a2 + a3)).sum() }
}
