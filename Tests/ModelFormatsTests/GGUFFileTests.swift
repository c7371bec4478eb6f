import Foundation
import Testing
import TestSupport
import ModelFormats
import Tensors

@Suite("GGUF reader")
struct GGUFFileTests {
    /// Every value type, including empty, nested and string arrays and non-ASCII strings.
    static let allValues: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("t.u8", .uint8(255)),
        ("t.i8", .int8(-128)),
        ("t.u16", .uint16(65535)),
        ("t.i16", .int16(-32768)),
        ("t.u32", .uint32(4_000_000_000)),
        ("t.i32", .int32(-2_000_000_000)),
        ("t.f32", .float32(9.999999974752427e-07)),
        ("t.bool.true", .bool(true)),
        ("t.bool.false", .bool(false)),
        ("t.string.empty", .string("")),
        ("t.string.unicode", .string("▁héllo 🌍\n<0x0A>")),
        ("t.u64", .uint64(.max)),
        ("t.i64", .int64(.min)),
        ("t.f64", .float64(-1.0e300)),
        ("t.array.empty", .array(.int32, [])),
        ("t.array.strings", .array(.string, [.string("a"), .string(""), .string("ü")])),
        ("t.array.floats", .array(.float32, [.float32(0.5), .float32(-.infinity)])),
        (
            "t.array.nested",
            .array(
                .array,
                [
                    .array(.uint8, [.uint8(1), .uint8(2)]),
                    .array(.string, [.string("x")]),
                    .array(.array, [.array(.bool, [.bool(true)])])
                ])
        )
    ]

    @Test("every metadata value type, nested arrays included, reads back exactly and in order")
    func metadataRoundTrip() throws {
        let path = try GGUFWriter.write(GGUFWriter(metadata: Self.allValues).bytes())
        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.metadataKeys == Self.allValues.map(\.0))
        for (key, value) in Self.allValues {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.metadata["t.f64"]?.doubleValue == -1.0e300)
        #expect(file.metadata["t.u32"]?.intValue == 4_000_000_000)
        #expect(file.metadata["t.u64"]?.intValue == nil)
        #expect(file.metadata["t.array.strings"]?.stringArray == ["a", "", "ü"])
        #expect(file.metadata["t.array.floats"]?.floatArray == [0.5, -.infinity])
        #expect(file.metadata["t.array.nested"]?.arrayValue?.first?.intArray == [1, 2])
        #expect(file.metadata["t.bool.true"]?.boolValue == true)
        #expect(file.tensors.isEmpty && file.alignment == 32)
    }

    @Test("F32, F16 and Q8_0 tensors read back with HF shapes (reversed ne) and raw bytes")
    func tensors() throws {
        // Q8_0 ne [32, 2]: block 0 has d = 0.25 (f16 0x3400), qs = j - 16; block 1 has d = -1 (0xBC00), qs = 3.
        let block0: [UInt8] = [0x00, 0x34] + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let block1: [UInt8] = [0x00, 0xBC] + [UInt8](repeating: 3, count: 32)
        let writer = GGUFWriter(
            version: 2, metadata: [("general.alignment", .uint32(64))],
            tensors: [
                .init(name: "w.f32", ne: [3, 2], type: 0, data: GGUFWriter.f32([1, 2, 3, 4, 5, -6.25])),
                .init(name: "w.f16", ne: [2, 1, 2], type: 1, data: GGUFWriter.u16([0x3C00, 0xC100, 0x7BFF, 0x0001])),
                .init(name: "w.q8", ne: [32, 2], type: 8, data: block0 + block1),
                .init(name: "norm", ne: [4], type: 0, data: GGUFWriter.f32([0.5, 0.25, 0, -1]))
            ], alignment: 64)
        let file = try GGUFFile(path: try GGUFWriter.write(writer.bytes()))
        #expect(file.version == 2 && file.alignment == 64 && file.dataStart % 64 == 0)
        #expect(file.tensors.map(\.name) == ["w.f32", "w.f16", "w.q8", "norm"])

        let f32 = try file.tensor(named: "w.f32")
        #expect(f32.shape == [2, 3] && f32.elements == [1, 2, 3, 4, 5, -6.25])
        let f16 = try file.tensor(named: "w.f16")
        #expect(f16.shape == [2, 1, 2] && f16.elements == [1, -2.5, 65504, 5.9604645e-08])
        let q8 = try file.tensor(named: "w.q8")
        #expect(q8.shape == [2, 32])
        #expect(q8.elements == (0..<32).map { Float($0 - 16) * 0.25 } + Array(repeating: -3, count: 32))
        #expect(try file.tensor(named: "norm").shape == [4])

        let info = try #require(file.tensorInfo(named: "w.q8"))
        #expect(info.ne == [32, 2] && info.type == .q8_0 && info.offset % 64 == 0 && info.byteCount == 68)
        #expect(info.elementCount == 64 && info.shape == [2, 32])
        #expect(try file.rawBytes(named: "w.q8") == block0 + block1)
        #expect(try file.withRawBytes(named: "w.f32") { $0.count } == 24)
    }

    @Test("the gguf-py fixture: metadata written by gguf-py reads back")
    func ggufPyMetadata() throws {
        let file = try GGUFFile(path: DequantizationFixtures.directory.appendingPathComponent("quants.gguf").path)
        #expect(file.version == 3)
        #expect(file.metadata["general.architecture"] == .string("glassbox-test"))
        #expect(file.metadata["test.string"] == .string("héllo ▁wörld"))
        #expect(file.metadata["test.strings"]?.stringArray == ["a", "", "<0x0A>"])
        #expect(file.metadata["test.u32"] == .uint32(4_000_000_000))
        #expect(file.metadata["test.i64"] == .int64(-(1 << 40)))
        #expect(file.metadata["test.f32"] == .float32(1e-6))
        #expect(file.metadata["test.bool"] == .bool(true))
        #expect(file.metadata["test.floats"]?.floatArray == [0.5, -2.25])
        #expect(file.tensors.count == 16)
    }

    @Test("absent tensors and types without a dequantiser are clear errors")
    func unsupportedAndMissing() throws {
        let writer = GGUFWriter(tensors: [
            .init(name: "blk.0.ffn_down.weight", ne: [256, 1], type: 10, data: [UInt8](repeating: 0, count: 84))
        ])
        let path = try GGUFWriter.write(writer.bytes())
        let file = try GGUFFile(path: path)
        #expect(
            throws: ModelFormatError(
                path: path,
                "tensor 'blk.0.ffn_down.weight' has type Q2_K, which Glassbox "
                    + "cannot dequantise yet")
        ) {
            try file.tensor(named: "blk.0.ffn_down.weight")
        }
        #expect(try file.rawBytes(named: "blk.0.ffn_down.weight").count == 84)
        #expect(throws: ModelFormatError(path: path, "no tensor named 'missing'")) { try file.tensor(named: "missing") }
    }

    @Test("splitting dequantisation between workers gives the same bits as one thread")
    func workersAgree() throws {
        // 1024 Q4_K blocks (262,144 elements) of varied bytes, so the split really happens.
        var raw = [UInt8](repeating: 0, count: 1024 * 144)
        for i in raw.indices { raw[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
        for block in 0..<1024 {
            raw[block * 144 + 1] = 0x1C
            raw[block * 144 + 3] = 0x18
        } // finite d, dmin
        let serial = raw.withUnsafeBytes { Dequantization.dequantize(.q4_K, $0) }
        let parallel = raw.withUnsafeBytes { Dequantization.dequantize(.q4_K, $0, workers: WorkerPool(workers: 2)) }
        #expect(serial != nil && serial?.map(\.bitPattern) == parallel?.map(\.bitPattern))
        let writer = GGUFWriter(tensors: [.init(name: "w", ne: [1024, 256], type: 12, data: raw)])
        let file = try GGUFFile(path: try GGUFWriter.write(writer.bytes()))
        let tensor = try file.tensor(named: "w", workers: WorkerPool(workers: 2))
        #expect(tensor.shape == [256, 1024] && tensor.elements.map(\.bitPattern) == serial?.map(\.bitPattern))
    }
}
