/// A cursor over the mapped bytes of a GGUF file with bounds-checked little-endian reads.
///
/// Every read checks that the bytes exist before touching them and throws a `ModelFormatError` naming what was being
/// read otherwise, so a truncated or lying header is an error, never a crash.
struct GGUFReader {
    /// Deepest nesting of arrays accepted (bounds the recursion on hostile input).
    static let maximumArrayDepth = 8

    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// The file's path, for error messages.
    let path: String
    /// Offset of the next byte to read.
    private(set) var position: Int = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Bytes left after `position`.
    var remaining: Int { bytes.count - position }

    func error(_ message: String) -> ModelFormatError { ModelFormatError(path: path, message) }

    /// Throws unless `count` more bytes follow `position`.
    func require(_ count: Int, for what: @autoclosure () -> String) throws {
        guard count <= remaining else {
            throw error(
                "truncated GGUF file: reading \(what()) at byte \(position) needs \(count) bytes but only "
                    + "\(remaining) remain")
        }
    }

    /// Reads a little-endian integer of `T`'s width.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size, for: what())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    /// Reads a u64 count or length and checks that `minimumSize` bytes per item can still follow, so that nothing is
    /// ever allocated or looped over from a count the file cannot hold.
    mutating func readCount(_ what: @autoclosure () -> String, minimumSize: Int) throws -> Int {
        let raw = try read(UInt64.self, what())
        let limit = UInt64(remaining / max(minimumSize, 1))
        guard raw <= limit else {
            throw error(
                "\(what()) is \(raw), but the \(remaining) bytes left in the file can hold at most \(limit); "
                    + "the file is corrupt or truncated")
        }
        return Int(raw)
    }

    /// Reads a gguf string: a u64 byte length, then that many UTF-8 bytes (invalid sequences are replaced by U+FFFD).
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readCount("the length of \(what())", minimumSize: 1)
        let text = String(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]),
            as: UTF8.self)
        position += length
        return text
    }

    /// Reads a value of `type`; `what` names it for error messages and `depth` counts enclosing arrays.
    mutating func readValue(_ type: GGUFValueType, _ what: @autoclosure () -> String, depth: Int = 0) throws
        -> GGUFValue
    {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, what()))
        case .int8: return .int8(try read(Int8.self, what()))
        case .uint16: return .uint16(try read(UInt16.self, what()))
        case .int16: return .int16(try read(Int16.self, what()))
        case .uint32: return .uint32(try read(UInt32.self, what()))
        case .int32: return .int32(try read(Int32.self, what()))
        case .uint64: return .uint64(try read(UInt64.self, what()))
        case .int64: return .int64(try read(Int64.self, what()))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, what())))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, what())))
        case .bool:
            let byte = try read(UInt8.self, what())
            guard byte <= 1 else { throw error("\(what()) is a BOOL with byte value \(byte); only 0 and 1 are valid") }
            return .bool(byte == 1)
        case .string:
            return .string(try readString(what()))
        case .array:
            guard depth < Self.maximumArrayDepth else {
                throw error("\(what()) nests arrays more than \(Self.maximumArrayDepth) deep")
            }
            let rawType = try read(UInt32.self, "the element type of \(what())")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw error("\(what()) is an array of unknown value type \(rawType)")
            }
            let count = try readCount("the element count of \(what())", minimumSize: elementType.minimumEncodedSize)
            var items: [GGUFValue] = []
            items.reserveCapacity(count)
            for index in 0..<count {
                items.append(try readValue(elementType, "element \(index) of \(what())", depth: depth + 1))
            }
            return .array(elementType, items)
        }
    }
}
