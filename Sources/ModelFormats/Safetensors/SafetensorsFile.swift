import Foundation
import JSON
public import Tensors

/// One memory-mapped `.safetensors` file: the header's tensor table and float conversion of its tensors.
///
/// Layout: `u64 LE N`, then N bytes of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__"}`,
/// then the data; offsets are relative to byte `8 + N`. Every entry is checked against the file at open time, so a
/// truncated file or a header that lies about offsets is an error naming the file and tensor, never a crash.
public struct SafetensorsFile: Sendable {
    /// The mapped file.
    public let file: MappedFile
    /// Entries by tensor name.
    public let entries: [String: SafetensorsEntry]
    /// The optional `__metadata__` strings.
    public let metadata: [String: String]

    /// Opens and validates `path`.
    public init(path: String) throws {
        let file = try MappedFile(path: path)
        self.file = file
        func fail(_ message: String) -> ModelFormatError { ModelFormatError(path: path, message) }
        guard file.count >= 8 else {
            throw fail("truncated safetensors file: \(file.count) bytes, the 8-byte header length is missing")
        }
        let headerLength = file.loadLittleEndian(UInt64.self, at: 0)
        guard headerLength <= UInt64(file.count - 8) else {
            throw fail(
                "truncated safetensors file: the header claims \(headerLength) bytes but only "
                    + "\(file.count - 8) follow")
        }
        let dataStart = 8 + Int(headerLength)
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(file.buffer(8..<dataStart)))
        } catch {
            throw fail("the safetensors header is not valid JSON (\(error))")
        }
        guard case .object(let table) = root else { throw fail("the safetensors header is not a JSON object") }

        var entries: [String: SafetensorsEntry] = [:]
        var metadata: [String: String] = [:]
        for member in table {
            let name = member.key
            if name == "__metadata__" {
                for item in member.value.objectMembers ?? [] {
                    if let text = item.value.stringValue { metadata[item.key] = text }
                }
                continue
            }
            func integers(_ key: String) -> [Int]? {
                guard let items = member.value[key]?.arrayValue else { return nil }
                let values = items.compactMap(\.intValue)
                return values.count == items.count ? values : nil
            }
            guard let dtypeName = member.value["dtype"]?.stringValue, let shape = integers("shape"),
                let offsets = integers("data_offsets"), offsets.count == 2
            else {
                throw fail("tensor '\(name)': entry must have dtype, shape and two data_offsets")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw fail("tensor '\(name)': unknown dtype '\(dtypeName)'")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor '\(name)': negative dimension in \(shape)") }
            let (elements, overflow) = shape.reduce((1, false)) { acc, dim in
                let (product, o) = acc.0.multipliedReportingOverflow(by: dim)
                return (product, acc.1 || o)
            }
            let begin = offsets[0], end = offsets[1]
            let (byteCount, byteOverflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, !byteOverflow else {
                throw fail("tensor '\(name)': shape \(shape) is too large")
            }
            guard begin >= 0, end >= begin else {
                throw fail("tensor '\(name)': invalid data_offsets [\(begin), \(end)]")
            }
            guard end - begin == byteCount else {
                throw fail(
                    "tensor '\(name)': data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape "
                        + "\(shape) of \(dtypeName) needs \(byteCount)")
            }
            guard end <= file.count - dataStart else {
                throw fail(
                    "tensor '\(name)' ends at byte \(dataStart + end) but the file has only \(file.count) "
                        + "bytes (truncated file?)")
            }
            entries[name] = SafetensorsEntry(
                name: name, dtype: dtype, shape: shape,
                byteRange: (dataStart + begin)..<(dataStart + end))
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The tensor `name` converted to float32; throws when it is absent or not a floating-point type.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw ModelFormatError(path: file.path, "no tensor named '\(name)'")
        }
        return try tensor(entry)
    }

    /// The tensor of `entry` converted to float32.
    public func tensor(_ entry: SafetensorsEntry) throws -> Tensor {
        let count = entry.shape.reduce(1, *)
        let raw = file.buffer(entry.byteRange)
        var elements = [Float](repeating: 0, count: count)
        switch entry.dtype {
        case .f32:
            elements.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
            for i in 0..<count { elements[i] = Float(bitPattern: UInt32(littleEndian: elements[i].bitPattern)) }
        case .f16:
            for i in 0..<count {
                elements[i] = FloatConversion.half(
                    UInt16(
                        littleEndian: raw.loadUnaligned(
                            fromByteOffset: 2 * i,
                            as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<count {
                elements[i] = FloatConversion.bfloat16(
                    UInt16(
                        littleEndian: raw.loadUnaligned(
                            fromByteOffset: 2 * i,
                            as: UInt16.self)))
            }
        case .f64:
            for i in 0..<count {
                let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                elements[i] = Float(Double(bitPattern: bits))
            }
        default:
            throw ModelFormatError(
                path: file.path,
                "tensor '\(entry.name)' has dtype \(entry.dtype.rawValue), expected a float type")
        }
        file.release(entry.byteRange)
        return Tensor(shape: entry.shape, elements: elements)
    }

    /// The 2-D F16 or BF16 tensor of `entry` kept half-size in the mapped file, decoded when used; nil for any other
    /// dtype or rank (those are converted by `tensor`).
    public func packedMatrix(_ entry: SafetensorsEntry) -> PackedMatrix? {
        guard entry.shape.count == 2 else { return nil }
        let type: GGUFTensorType
        switch entry.dtype {
        case .f16: type = .f16
        case .bf16: type = .bf16
        default: return nil
        }
        return PackedMatrix(
            file: file, type: type, offset: entry.byteRange.lowerBound, rows: entry.shape[0], columns: entry.shape[1])
    }
}
