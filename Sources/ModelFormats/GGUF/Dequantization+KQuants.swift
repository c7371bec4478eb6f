extension Dequantization {
    /// The 6-bit scale and min of sub-block `k` (0..<8) from the 12 packed bytes at `scales` (Q4_K and Q5_K):
    /// for k < 4 the low 6 bits of bytes k and k+4; for k ≥ 4 the nibbles of byte k+4 with the top two bits of bytes
    /// k-4 and k as bits 4-5.
    @inline(__always)
    static func scaleMin(_ k: Int, _ scales: UnsafeRawPointer) -> (scale: Float, min: Float) {
        if k < 4 {
            return (Float(byte(scales, k) & 63), Float(byte(scales, k + 4) & 63))
        }
        let packed = byte(scales, k + 4)
        let scale = (packed & 0xF) | ((byte(scales, k - 4) >> 6) << 4)
        let min = (packed >> 4) | ((byte(scales, k) >> 6) << 4)
        return (Float(scale), Float(min))
    }

    /// Q4_K, 256 elements in 144 bytes: `d: f16 @0`, `dmin: f16 @2`, `scales: u8[12] @4`, `qs: u8[128] @16`.
    ///
    /// Eight sub-blocks of 32; group g (0..<4) uses `qs[32g..<32g+32]`, low nibbles for sub-block 2g and high
    /// nibbles for 2g+1: `y = (d * sc) * q - (dmin * m)`.
    static func q4_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let dmin = half(block, 2)
            let scales = block + 4
            var qs = block + 16
            var out = y
            for g in 0..<4 {
                let (sc1, m1raw) = scaleMin(2 * g, scales)
                let (sc2, m2raw) = scaleMin(2 * g + 1, scales)
                let d1 = d * sc1, m1 = dmin * m1raw
                let d2 = d * sc2, m2 = dmin * m2raw
                for l in 0..<32 {
                    let q = byte(qs, l)
                    out[l] = d1 * Float(q & 0xF) - m1
                    out[l + 32] = d2 * Float(q >> 4) - m2
                }
                qs += 32
                out += 64
            }
            block += 144
            y += 256
        }
    }

    /// Q5_K, 256 elements in 176 bytes: `d: f16 @0`, `dmin: f16 @2`, `scales: u8[12] @4` (as Q4_K),
    /// `qh: u8[32] @16`, `qs: u8[128] @48`. As Q4_K, with bit k of `qh[l]` as the 5th bit of element l of
    /// sub-block k.
    static func q5_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let dmin = half(block, 2)
            let scales = block + 4
            let qh = block + 16
            var qs = block + 48
            var out = y
            for g in 0..<4 {
                let (sc1, m1raw) = scaleMin(2 * g, scales)
                let (sc2, m2raw) = scaleMin(2 * g + 1, scales)
                let d1 = d * sc1, m1 = dmin * m1raw
                let d2 = d * sc2, m2 = dmin * m2raw
                let lowShift = UInt8(2 * g), highShift = UInt8(2 * g + 1)
                for l in 0..<32 {
                    let q = byte(qs, l)
                    let h = byte(qh, l)
                    let lo = (q & 0xF) | (((h >> lowShift) & 1) << 4)
                    let hi = (q >> 4) | (((h >> highShift) & 1) << 4)
                    out[l] = d1 * Float(lo) - m1
                    out[l + 32] = d2 * Float(hi) - m2
                }
                qs += 32
                out += 64
            }
            block += 176
            y += 256
        }
    }

    /// Q6_K, 256 elements in 210 bytes: `ql: u8[128] @0`, `qh: u8[64] @128`, `scales: int8[16] @192`,
    /// `d: f16 @208` (last).
    ///
    /// Two halves of 128; in half n, `ql += 64n`, `qh += 32n`, `sc += 8n`. For l in 0..<32 the four 6-bit values
    /// (low/high nibbles of `ql[l]` and `ql[l+32]`, each with two bits of `qh[l]`) minus 32 go to l, l+32, l+64, l+96
    /// with scales `sc[l/16 + 0, 2, 4, 6]`: `y = d * sc * q`.
    static func q6_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 208)
            var ql = block
            var qh = block + 128
            var sc = block + 192
            var out = y
            for _ in 0..<2 {
                // `d * sc * q` is `(d * sc) * q`: the eight products of this half are formed once, in that order.
                for part in 0..<2 {
                    let s1 = d * Float(sc.load(fromByteOffset: part, as: Int8.self))
                    let s2 = d * Float(sc.load(fromByteOffset: part + 2, as: Int8.self))
                    let s3 = d * Float(sc.load(fromByteOffset: part + 4, as: Int8.self))
                    let s4 = d * Float(sc.load(fromByteOffset: part + 6, as: Int8.self))
                    for l in (16 * part)..<(16 * part + 16) {
                        let low = byte(ql, l), high = byte(ql, l + 32), h = byte(qh, l)
                        let q1 = Int32((low & 0xF) | ((h & 3) << 4)) - 32
                        let q2 = Int32((high & 0xF) | (((h >> 2) & 3) << 4)) - 32
                        let q3 = Int32((low >> 4) | (((h >> 4) & 3) << 4)) - 32
                        let q4 = Int32((high >> 4) | (((h >> 6) & 3) << 4)) - 32
                        out[l] = s1 * Float(q1)
                        out[l + 32] = s2 * Float(q2)
                        out[l + 64] = s3 * Float(q3)
                        out[l + 96] = s4 * Float(q4)
                    }
                }
                ql += 64
                qh += 32
                sc += 8
                out += 128
            }
            block += 210
            y += 256
        }
    }

    /// Q8_K, 256 elements in 292 bytes: `d: f32 @0`, `qs: int8[256] @4`, `bsums: int16[16] @260` (sums of groups of
    /// 16 quants, unused here); `y[j] = d * qs[j]`.
    static func q8_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
            let qs = block + 4
            for j in 0..<256 {
                y[j] = d * Float(qs.load(fromByteOffset: j, as: Int8.self))
            }
            block += 292
            y += 256
        }
    }
}
