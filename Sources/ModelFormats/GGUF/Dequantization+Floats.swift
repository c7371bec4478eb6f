extension Dequantization {
    /// F32: 4 bytes per element, little-endian.
    static func f32(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        #if _endian(little)
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
        #else
        for i in 0..<count {
            destination[i] = Float(
                bitPattern: UInt32(
                    littleEndian: source.loadUnaligned(
                        fromByteOffset: 4 * i,
                        as: UInt32.self)))
        }
        #endif
    }

    /// F16: IEEE binary16, 2 bytes per element.
    static func f16(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        var p = source
        for i in 0..<count {
            destination[i] = half(p, 0)
            p += 2
        }
    }

    /// BF16: the upper 16 bits of a Float32, 2 bytes per element.
    static func bf16(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        var p = source
        for i in 0..<count {
            destination[i] = FloatConversion.bfloat16(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
            p += 2
        }
    }
}
