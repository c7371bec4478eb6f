public import Tensors

/// One memory-mapped GGUF file (version 2 or 3, little-endian): its metadata, tensor table and tensor data.
///
/// Layout: magic `GGUF`, u32 version, u64 tensor count, u64 KV count, the KV pairs (gguf string key, u32 value type,
/// value), the tensor infos (gguf string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset), zero padding
/// to the alignment (`general.alignment`, default 32), then the data section; each tensor's bytes start at
/// `dataStart + offset`. Everything is validated at open time, so a truncated or inconsistent file is a
/// `ModelFormatError` naming the file and the key or tensor concerned, never a crash.
public struct GGUFFile: Sendable {
    /// Alignment used when `general.alignment` is absent.
    public static let defaultAlignment = 32

    /// The mapped file.
    public let file: MappedFile
    /// Format version (2 or 3).
    public let version: UInt32
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Metadata values by key.
    public let metadata: [String: GGUFValue]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// Data alignment in bytes.
    public let alignment: Int
    /// Absolute offset of the data section.
    public let dataStart: Int
    /// Index into `tensors` by name.
    private let tensorIndex: [String: Int]

    /// The file's path.
    public var path: String { file.path }

    /// Opens and validates `path`.
    public init(path: String) throws {
        let file = try MappedFile(path: path)
        self.file = file
        var reader = GGUFReader(bytes: file.buffer(0..<file.count), path: path)
        func fail(_ message: String) -> ModelFormatError { ModelFormatError(path: path, message) }

        guard file.count >= 4 else {
            throw fail("not a GGUF file: \(file.count) bytes, too short for the 4-byte magic")
        }
        let magic = try reader.read(UInt32.self, "the magic")
        guard magic == 0x4655_4747 else { // "GGUF" read little-endian
            let shown = withUnsafeBytes(of: magic.littleEndian) { $0.map { String($0, radix: 16) } }
            throw fail(
                "not a GGUF file: the magic is [\(shown.joined(separator: " "))], expected 47 47 55 46 (\"GGUF\")")
        }
        let version = try reader.read(UInt32.self, "the version")
        if version != 2 && version != 3 {
            if version == 1 {
                throw fail("GGUF version 1 is not supported (it used 32-bit counts); only versions 2 and 3 are")
            }
            if version & 0xFFFF == 0, (1...3).contains(version.byteSwapped) {
                throw fail(
                    "big-endian GGUF file (version reads as 0x\(String(version, radix: 16))); only "
                        + "little-endian files are supported")
            }
            throw fail("unsupported GGUF version \(version); only versions 2 and 3 are supported")
        }
        self.version = version

        // A tensor info takes at least 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes; a KV pair at
        // least 8 (key length) + 4 (type) + 1 (value).
        let tensorCount = try reader.read(UInt64.self, "the tensor count")
        let kvCount = try reader.readCount("the metadata KV count", minimumSize: 13)
        guard tensorCount <= UInt64(reader.remaining / 24) else {
            throw fail(
                "the tensor count is \(tensorCount), but the \(reader.remaining) bytes left in the file can "
                    + "hold at most \(reader.remaining / 24) tensor infos; the file is corrupt or truncated")
        }

        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        keys.reserveCapacity(kvCount)
        for index in 0..<kvCount {
            let key = try reader.readString("the key of metadata entry \(index)")
            let rawType = try reader.read(UInt32.self, "the value type of key '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw fail("key '\(key)' has unknown value type \(rawType)")
            }
            let value = try reader.readValue(type, "the value of key '\(key)'")
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw fail("duplicate metadata key '\(key)'")
            }
            keys.append(key)
        }
        self.metadataKeys = keys
        self.metadata = metadata

        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case .uint32(let raw) = value, raw > 0, raw.nonzeroBitCount == 1 else {
                throw fail("general.alignment must be a UINT32 power of two, found \(value)")
            }
            alignment = Int(raw)
        }
        self.alignment = alignment

        struct RawInfo { var name: String, ne: [Int], type: GGUFTensorType, offset: Int, byteCount: Int }
        var infos: [RawInfo] = []
        var index: [String: Int] = [:]
        infos.reserveCapacity(Int(tensorCount))
        for number in 0..<Int(tensorCount) {
            let name = try reader.readString("the name of tensor \(number)")
            let nDims = try reader.read(UInt32.self, "the dimension count of tensor '\(name)'")
            guard nDims <= 4 else { throw fail("tensor '\(name)' has \(nDims) dimensions; at most 4 are allowed") }
            var ne: [Int] = []
            for axis in 0..<Int(nDims) {
                let extent = try reader.read(UInt64.self, "ne[\(axis)] of tensor '\(name)'")
                guard let value = Int(exactly: extent) else {
                    throw fail("tensor '\(name)' has an absurd dimension ne[\(axis)] = \(extent)")
                }
                ne.append(value)
            }
            let rawType = try reader.read(UInt32.self, "the type of tensor '\(name)'")
            guard let type = GGUFTensorType(rawValue: rawType) else {
                throw fail("tensor '\(name)' has unknown ggml type \(rawType)")
            }
            let rawOffset = try reader.read(UInt64.self, "the data offset of tensor '\(name)'")

            let rowLength = ne.first ?? 1
            guard rowLength % type.blockElements == 0 else {
                throw fail(
                    "tensor '\(name)' of type \(type.name) has ne[0] = \(rowLength), which is not a multiple "
                        + "of the block size \(type.blockElements)")
            }
            var blocks = rowLength / type.blockElements
            var overflow = false
            for extent in ne.dropFirst() {
                let (product, o) = blocks.multipliedReportingOverflow(by: extent)
                blocks = product
                overflow = overflow || o
            }
            let (byteCount, byteOverflow) = blocks.multipliedReportingOverflow(by: type.blockBytes)
            guard !overflow, !byteOverflow, let offset = Int(exactly: rawOffset) else {
                throw fail("tensor '\(name)' is too large: ne \(ne) of \(type.name) at offset \(rawOffset)")
            }
            guard offset % alignment == 0 else {
                throw fail(
                    "tensor '\(name)' has offset \(offset), which is not a multiple of the alignment "
                        + "\(alignment)")
            }
            guard index.updateValue(infos.count, forKey: name) == nil else {
                throw fail("duplicate tensor name '\(name)'")
            }
            infos.append(RawInfo(name: name, ne: ne, type: type, offset: offset, byteCount: byteCount))
        }

        let headerEnd = reader.position
        let padding = (alignment - headerEnd % alignment) % alignment
        let dataStart = headerEnd + padding
        self.dataStart = dataStart
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            let (begin, o1) = dataStart.addingReportingOverflow(info.offset)
            let (end, o2) = begin.addingReportingOverflow(info.byteCount)
            guard !o1, begin <= file.count else {
                throw fail(
                    "tensor '\(info.name)' starts at byte \(dataStart) + \(info.offset), beyond the end of the "
                        + "file (\(file.count) bytes)")
            }
            guard !o2, end <= file.count else {
                throw fail(
                    "tensor '\(info.name)' (\(info.type.name), ne \(info.ne)) ends at byte \(dataStart) + "
                        + "\(info.offset) + \(info.byteCount), but the file has only \(file.count) bytes "
                        + "(truncated file?)")
            }
            tensors.append(
                GGUFTensorInfo(
                    name: info.name, ne: info.ne, type: info.type, offset: info.offset,
                    byteRange: begin..<end))
        }
        self.tensors = tensors
        self.tensorIndex = index
    }

    /// The info of the tensor `name`, or nil.
    public func tensorInfo(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The info of the tensor `name`; throws when absent.
    public func requireTensorInfo(named name: String) throws -> GGUFTensorInfo {
        guard let info = tensorInfo(named: name) else {
            throw ModelFormatError(path: path, "no tensor named '\(name)'")
        }
        return info
    }

    /// Calls `body` with the raw stored bytes of tensor `name` (valid only inside `body`).
    public func withRawBytes<R>(named name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try body(file.buffer(try requireTensorInfo(named: name).byteRange))
    }

    /// A copy of the raw stored bytes of tensor `name`.
    public func rawBytes(named name: String) throws -> [UInt8] {
        try withRawBytes(named: name) { Array($0) }
    }

    /// The tensor `name` dequantised to float32, with the HF / PyTorch shape (`ne` reversed).
    ///
    /// `workers` splits the blocks between threads (the result does not depend on it). Throws when the tensor is
    /// absent or its type cannot be dequantised yet.
    public func tensor(named name: String, workers: WorkerPool = .serial) throws -> Tensor {
        try tensor(try requireTensorInfo(named: name), workers: workers)
    }

    /// The tensor of `info` (an entry of `tensors`) dequantised to float32, with the HF / PyTorch shape.
    public func tensor(_ info: GGUFTensorInfo, workers: WorkerPool = .serial) throws -> Tensor {
        guard Dequantization.supports(info.type) else {
            throw ModelFormatError(
                path: path,
                "tensor '\(info.name)' has type \(info.type.name), which Glassbox "
                    + "cannot dequantise yet")
        }
        guard let elements = Dequantization.dequantize(info.type, file.buffer(info.byteRange), workers: workers) else {
            throw ModelFormatError(
                path: path,
                "tensor '\(info.name)': \(info.byteCount) bytes are not whole "
                    + "\(info.type.name) blocks")
        }
        file.release(info.byteRange)
        return Tensor(shape: info.shape, elements: elements)
    }

    /// The 2-D tensor of `info` kept in its stored encoding, `[ne[1], ne[0]]` (the PyTorch shape), decoded when used.
    /// Throws when it is not 2-D or its type cannot be decoded.
    public func packedMatrix(_ info: GGUFTensorInfo) throws -> PackedMatrix {
        guard info.ne.count == 2 else {
            throw ModelFormatError(path: path, "tensor '\(info.name)' has \(info.ne.count) dimensions, expected 2")
        }
        guard Dequantization.supports(info.type) else {
            throw ModelFormatError(
                path: path, "tensor '\(info.name)' has type \(info.type.name), which Glassbox cannot dequantise yet")
        }
        guard
            let matrix = PackedMatrix(
                file: file, type: info.type, offset: info.byteRange.lowerBound, rows: info.ne[1], columns: info.ne[0]),
            matrix.byteCount == info.byteCount
        else {
            throw ModelFormatError(
                path: path, "tensor '\(info.name)': \(info.byteCount) bytes are not whole \(info.type.name) rows")
        }
        return matrix
    }
}
