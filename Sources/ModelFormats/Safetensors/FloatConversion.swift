/// Conversions of stored floating-point element types to Float32.
public enum FloatConversion {
    /// IEEE half precision (`F16`) bits to Float, exact. Always inlined: the fused decode kernels call it once a
    /// block, and a call there spills their vector accumulators.
    @inlinable @inline(__always)
    public static func half(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2⁻²⁴.
            let magnitude = Float(mantissa) * 5.9604644775390625e-08
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 (`BF16`) bits to Float, exact: the upper half of a Float32.
    @inlinable
    public static func bfloat16(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
