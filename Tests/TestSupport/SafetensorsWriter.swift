import Foundation

/// Writes small safetensors files for tests, including deliberately broken ones.
public enum SafetensorsWriter {
    public struct Item {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    public static func f32(_ name: String, shape: [Int], _ values: [Float]) -> Item {
        Item(
            name: name, dtype: "F32", shape: shape,
            bytes: values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } })
    }

    public static func u16(_ name: String, dtype: String, shape: [Int], _ bits: [UInt16]) -> Item {
        Item(
            name: name, dtype: dtype, shape: shape,
            bytes: bits.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } })
    }

    /// The bytes of a file holding `items`; `header` may be replaced to test malformed headers.
    public static func bytes(_ items: [Item], header override: String? = nil) -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        var data: [UInt8] = []
        for item in items {
            let shape = item.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\"\(item.name)\":{\"dtype\":\"\(item.dtype)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(offset + item.bytes.count)]}")
            offset += item.bytes.count
            data += item.bytes
        }
        var header = Array(
            (override ?? "{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        return withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header + data
    }

    public static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }
}
