import Foundation
import ModelFormats
import TestSupport

/// Builds small GGUF files byte by byte for tests, including deliberately broken ones.
struct GGUFWriter {
    /// One tensor to write: `ne` in GGUF order, a raw ggml type number and the stored bytes.
    struct TensorItem {
        var name: String
        var ne: [UInt64]
        var type: UInt32
        var data: [UInt8]
        /// Replaces the computed (aligned, packed) offset.
        var offset: UInt64?
    }

    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    var metadata: [(String, GGUFValue)] = []
    var tensors: [TensorItem] = []
    /// Alignment used for padding (write `general.alignment` in `metadata` to change what readers use).
    var alignment = 32

    /// The whole file.
    func bytes() -> [UInt8] {
        var out = magic
        Self.append(version, to: &out)
        Self.append(UInt64(tensors.count), to: &out)
        Self.append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            Self.appendString(key, to: &out)
            Self.append(value.type.rawValue, to: &out)
            Self.appendValue(value, to: &out)
        }
        var offset: UInt64 = 0
        var data: [UInt8] = []
        for tensor in tensors {
            Self.appendString(tensor.name, to: &out)
            Self.append(UInt32(tensor.ne.count), to: &out)
            for extent in tensor.ne { Self.append(extent, to: &out) }
            Self.append(tensor.type, to: &out)
            Self.append(tensor.offset ?? offset, to: &out)
            data += tensor.data
            while data.count % alignment != 0 { data.append(0) }
            offset = UInt64(data.count)
        }
        while out.count % alignment != 0 { out.append(0) }
        return out + data
    }

    /// Appends `value` little-endian.
    static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    /// Appends a gguf string (u64 length, UTF-8 bytes).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        append(UInt64(text.utf8.count), to: &out)
        out += Array(text.utf8)
    }

    /// Appends the encoding of `value` without its type tag.
    static func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let v): appendString(v, to: &out)
        case .array(let type, let items):
            append(type.rawValue, to: &out)
            append(UInt64(items.count), to: &out)
            for item in items { appendValue(item, to: &out) }
        }
    }

    /// Little-endian bytes of float32 values.
    static func f32(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// Little-endian bytes of u16 values (F16 / BF16 bit patterns).
    static func u16(_ values: [UInt16]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "model.gguf") throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
