import Foundation
import Testing
import TestSupport
import ModelFormats

@Suite("GGUF reader: malformed files are errors, never crashes")
struct GGUFMalformedFileTests {
    /// One Q8_0 tensor `w`, ne [32, 2]. Layout: header 0..<24, KV 24..<69, tensor info 69..<110, padding to 128,
    /// data 128..<196, padding to 224.
    static func base(
        ne: [UInt64] = [32, 2], type: UInt32 = 8, offset: UInt64? = nil,
        metadata: [(String, GGUFValue)] = [("general.architecture", .string("llama"))]
    ) -> GGUFWriter {
        GGUFWriter(
            metadata: metadata,
            tensors: [
                .init(name: "w", ne: ne, type: type, data: [UInt8](repeating: 0x11, count: 68), offset: offset)
            ])
    }

    static func patch<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, _ value: T) -> [UInt8] {
        var bytes = bytes
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
        return bytes
    }

    func expectError(_ bytes: [UInt8], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try GGUFWriter.write(bytes)
        #expect(throws: ModelFormatError(path: path, message), sourceLocation: sourceLocation) {
            try GGUFFile(path: path)
        }
    }

    @Test("the base file is valid")
    func baseIsValid() throws {
        let bytes = Self.base().bytes()
        #expect(bytes.count == 224)
        let file = try GGUFFile(path: try GGUFWriter.write(bytes))
        #expect(file.dataStart == 128 && file.tensors.first?.byteRange == 128..<196)
    }

    @Test("bad magic, empty and tiny files")
    func badMagic() throws {
        var writer = Self.base()
        writer.magic = Array("GGUX".utf8)
        try expectError(writer.bytes(), "not a GGUF file: the magic is [47 47 55 58], expected 47 47 55 46 (\"GGUF\")")
        try expectError([], "not a GGUF file: 0 bytes, too short for the 4-byte magic")
        try expectError([0x47, 0x47, 0x55], "not a GGUF file: 3 bytes, too short for the 4-byte magic")
    }

    @Test("version 1, unknown versions and big-endian files are refused")
    func versions() throws {
        var writer = Self.base()
        writer.version = 1
        try expectError(
            writer.bytes(), "GGUF version 1 is not supported (it used 32-bit counts); only versions 2 and 3 are")
        writer.version = 4
        try expectError(writer.bytes(), "unsupported GGUF version 4; only versions 2 and 3 are supported")
        writer.version = 0x0300_0000
        try expectError(
            writer.bytes(),
            "big-endian GGUF file (version reads as 0x3000000); only little-endian files "
                + "are supported")
    }

    @Test("a truncated header names what was being read")
    func truncatedHeader() throws {
        let bytes = Self.base().bytes()
        try expectError(
            Array(bytes.prefix(100)),
            "truncated GGUF file: reading the type of tensor 'w' at byte 98 "
                + "needs 4 bytes but only 2 remain")
        try expectError(
            Array(bytes.prefix(10)),
            "truncated GGUF file: reading the tensor count at byte 8 needs 8 "
                + "bytes but only 2 remain")
        try expectError(
            Array(bytes.prefix(30)),
            "the metadata KV count is 1, but the 6 bytes left in the file can "
                + "hold at most 0; the file is corrupt or truncated")
    }

    @Test("truncated tensor data")
    func truncatedData() throws {
        try expectError(
            Array(Self.base().bytes().prefix(184)),
            "tensor 'w' (Q8_0, ne [32, 2]) ends at byte 128 + 0 + "
                + "68, but the file has only 184 bytes (truncated file?)")
    }

    @Test("tensor offsets out of bounds, overflowing or misaligned")
    func offsets() throws {
        try expectError(
            Self.base(offset: 4096).bytes(),
            "tensor 'w' starts at byte 128 + 4096, beyond the end of "
                + "the file (224 bytes)")
        let huge = UInt64(Int.max) - 31
        try expectError(
            Self.base(offset: huge).bytes(),
            "tensor 'w' starts at byte 128 + \(huge), beyond the end "
                + "of the file (224 bytes)")
        try expectError(
            Self.base(offset: .max - 31).bytes(),
            "tensor 'w' is too large: ne [32, 2] of Q8_0 at offset "
                + "\(UInt64.max - 31)")
        try expectError(
            Self.base(offset: 4).bytes(),
            "tensor 'w' has offset 4, which is not a multiple of the "
                + "alignment 32")
    }

    @Test("unknown ggml types, too many dimensions, ne0 not a multiple of the block size, absurd sizes")
    func tensorInfos() throws {
        try expectError(Self.base(type: 99).bytes(), "tensor 'w' has unknown ggml type 99")
        try expectError(Self.base(type: 4).bytes(), "tensor 'w' has unknown ggml type 4")
        try expectError(Self.base(ne: [32, 1, 1, 1, 2]).bytes(), "tensor 'w' has 5 dimensions; at most 4 are allowed")
        try expectError(
            Self.base(ne: [30, 2]).bytes(),
            "tensor 'w' of type Q8_0 has ne[0] = 30, which is not a "
                + "multiple of the block size 32")
        try expectError(
            Self.base(ne: [32, 1 << 62, 8]).bytes(),
            "tensor 'w' is too large: ne [32, 4611686018427387904, "
                + "8] of Q8_0 at offset 0")
        try expectError(
            Self.base(ne: [32, .max]).bytes(),
            "tensor 'w' has an absurd dimension ne[1] = "
                + "\(UInt64.max)")
        var writer = Self.base()
        writer.tensors.append(writer.tensors[0])
        try expectError(writer.bytes(), "duplicate tensor name 'w'")
    }

    @Test("absurd string lengths and counts are rejected before anything is allocated")
    func absurdCounts() throws {
        let bytes = Self.base().bytes()
        try expectError(
            Self.patch(bytes, at: 24, UInt64(1) << 40),
            "the length of the key of metadata entry 0 is "
                + "1099511627776, but the 192 bytes left in the file can hold at most 192; the file is corrupt "
                + "or truncated")
        try expectError(
            Self.patch(bytes, at: 8, UInt64(1) << 50),
            "the tensor count is 1125899906842624, but the 200 "
                + "bytes left in the file can hold at most 8 tensor infos; the file is corrupt or truncated")
        try expectError(
            Self.patch(bytes, at: 16, UInt64.max),
            "the metadata KV count is \(UInt64.max), but the 200 "
                + "bytes left in the file can hold at most 15; the file is corrupt or truncated")
        let array = GGUFWriter(metadata: [("a", .array(.uint32, [.uint32(1)]))]).bytes()
        #expect(array.count == 64)
        try expectError(
            Self.patch(array, at: 41, UInt64(1) << 60),
            "the element count of the value of key 'a' is "
                + "1152921504606846976, but the 15 bytes left in the file can hold at most 3; the file is "
                + "corrupt or truncated")
    }

    @Test("bad metadata: unknown value types, bad bools, duplicate keys, bad alignment, deep nesting")
    func badMetadata() throws {
        let one = GGUFWriter(metadata: [("a", .uint32(7))]).bytes()
        try expectError(Self.patch(one, at: 33, UInt32(13)), "key 'a' has unknown value type 13")
        try expectError(
            GGUFWriter(metadata: [("b", .uint8(2))]).bytes().enumerated().map { $0.offset == 33 ? 7 : $0.element },
            "the value of key 'b' is a BOOL with byte value 2; only 0 and 1 are valid")
        try expectError(
            GGUFWriter(metadata: [("a", .uint8(1)), ("a", .uint8(2))]).bytes(), "duplicate metadata key 'a'")
        try expectError(
            Self.base(metadata: [("general.alignment", .uint32(48))]).bytes(),
            "general.alignment must be a UINT32 power of two, found uint32(48)")
        try expectError(
            Self.base(metadata: [("general.alignment", .uint64(32))]).bytes(),
            "general.alignment must be a UINT32 power of two, found uint64(32)")
        var deep = GGUFValue.array(.uint8, [])
        for _ in 0..<8 { deep = .array(.array, [deep]) }
        let path = try GGUFWriter.write(GGUFWriter(metadata: [("deep", deep)]).bytes())
        do {
            _ = try GGUFFile(path: path)
            Issue.record("expected an error")
        } catch let error as ModelFormatError {
            #expect(
                error.message.hasSuffix("of the value of key 'deep' nests arrays more than 8 deep"),
                "\(error.message)")
        }
    }
}
