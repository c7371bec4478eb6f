/// The type tag of a GGUF metadata value (`value_type` u32).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes a value of this type occupies at least: its exact size for scalars, the u64 length for a string, and
    /// the element type plus count for an array. Used to reject counts that the file cannot possibly hold.
    var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64, .string: 8
        case .array: 12
        }
    }
}

/// One GGUF metadata value, typed as stored.
///
/// Arrays keep their element type so that an empty array still says what it would hold; their elements are values
/// of that type (arrays may nest).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFValueType, [GGUFValue])
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// The stored type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .array: .array
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    /// Any integer type as `Int`, or nil when not an integer or not representable.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(exactly: v)
        default: nil
        }
    }

    /// A FLOAT32 or FLOAT64 as `Double` (exact), or nil.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: nil
        }
    }

    /// A FLOAT32 value, or nil (a FLOAT64 is not narrowed silently).
    public var floatValue: Float? {
        if case .float32(let v) = self { return v }
        return nil
    }

    /// A BOOL value, or nil.
    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// A STRING value, or nil.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The elements of an ARRAY, or nil.
    public var arrayValue: [GGUFValue]? {
        if case .array(_, let v) = self { return v }
        return nil
    }

    /// An ARRAY of STRING as `[String]`, or nil for anything else.
    public var stringArray: [String]? {
        guard case .array(.string, let items) = self else { return nil }
        return items.compactMap(\.stringValue)
    }

    /// An ARRAY of FLOAT32 as `[Float]`, or nil for anything else.
    public var floatArray: [Float]? {
        guard case .array(.float32, let items) = self else { return nil }
        return items.compactMap(\.floatValue)
    }

    /// An ARRAY of any integer type as `[Int]`, or nil for anything else (or a value not representable as Int).
    public var intArray: [Int]? {
        guard case .array(let type, let items) = self else { return nil }
        switch type {
        case .uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64:
            let values = items.compactMap(\.intValue)
            return values.count == items.count ? values : nil
        default:
            return nil
        }
    }
}
