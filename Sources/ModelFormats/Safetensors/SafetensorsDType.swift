/// Element types a safetensors file can declare, with their sizes.
public enum SafetensorsDType: String, Sendable, Equatable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// Whether the runtime can read it as float weights.
    public var isFloatingPoint: Bool { self == .f32 || self == .f16 || self == .bf16 || self == .f64 }
}

/// One tensor's entry in a safetensors header.
public struct SafetensorsEntry: Sendable, Equatable {
    /// Tensor name as stored.
    public let name: String
    /// Declared element type.
    public let dtype: SafetensorsDType
    /// Declared shape.
    public let shape: [Int]
    /// Absolute byte range in the file.
    public let byteRange: Range<Int>
}
