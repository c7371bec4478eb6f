extension Dequantization {
    /// Q8_0, 32 elements in 34 bytes: `d: f16 @0`, `qs: int8[32] @2`; `y[j] = d * qs[j]`.
    static func q8_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let qs = block + 2
            for j in 0..<32 {
                y[j] = d * Float(qs.load(fromByteOffset: j, as: Int8.self))
            }
            block += 34
            y += 32
        }
    }

    /// Q4_0, 32 elements in 18 bytes: `d: f16 @0`, `qs: u8[16] @2`. Low nibbles are elements 0..<16, high nibbles
    /// 16..<32: `y[j] = d * ((qs[j] & 0xF) - 8)`, `y[j+16] = d * ((qs[j] >> 4) - 8)`.
    static func q4_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let qs = block + 2
            for j in 0..<16 {
                let q = byte(qs, j)
                y[j] = d * Float(Int32(q & 0xF) - 8)
                y[j + 16] = d * Float(Int32(q >> 4) - 8)
            }
            block += 18
            y += 32
        }
    }

    /// Q4_1, 32 elements in 20 bytes: `d: f16 @0`, `m: f16 @2`, `qs: u8[16] @4`;
    /// `y[j] = d * (qs[j] & 0xF) + m`, `y[j+16] = d * (qs[j] >> 4) + m`.
    static func q4_1(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let m = half(block, 2)
            let qs = block + 4
            for j in 0..<16 {
                let q = byte(qs, j)
                y[j] = d * Float(q & 0xF) + m
                y[j + 16] = d * Float(q >> 4) + m
            }
            block += 20
            y += 32
        }
    }

    /// Q5_0, 32 elements in 22 bytes: `d: f16 @0`, `qh: u32 LE @2` (bit j is the 5th bit of element j),
    /// `qs: u8[16] @6` (nibbles as Q4_0); `y = d * (q - 16)`.
    static func q5_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let qs = block + 6
            // Low nibbles with bits 0-15 of qh, then high nibbles with bits 16-31 (two simple loops vectorise).
            for j in 0..<16 {
                let h0 = Int32((qh >> UInt32(j)) & 1) << 4
                y[j] = d * Float((Int32(byte(qs, j) & 0xF) | h0) - 16)
            }
            for j in 0..<16 {
                let h1 = Int32((qh >> UInt32(j + 16)) & 1) << 4
                y[j + 16] = d * Float((Int32(byte(qs, j) >> 4) | h1) - 16)
            }
            block += 22
            y += 32
        }
    }

    /// Q5_1, 32 elements in 24 bytes: `d: f16 @0`, `m: f16 @2`, `qh: u32 LE @4`, `qs: u8[16] @8`; the 5-bit values
    /// as Q5_0, then `y = d * q + m` (no offset).
    static func q5_1(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) {
        var block = source
        var y = destination
        for _ in 0..<blocks {
            let d = half(block, 0)
            let m = half(block, 2)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let qs = block + 8
            for j in 0..<16 {
                let q = byte(qs, j)
                let h0 = UInt32((qh >> UInt32(j)) & 1) << 4
                let h1 = UInt32((qh >> UInt32(j + 16)) & 1) << 4
                y[j] = d * Float(UInt32(q & 0xF) | h0) + m
                y[j + 16] = d * Float(UInt32(q >> 4) | h1) + m
            }
            block += 24
            y += 32
        }
    }
}
