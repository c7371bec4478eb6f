import Foundation
import Testing
import TestSupport
import ModelFormats

@Suite("safetensors reader")
struct SafetensorsFileTests {
    @Test("reads F32, F16 and BF16 tensors exactly")
    func readsDTypes() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("model.safetensors")
        // F16: 1.0 = 0x3C00, -2.5 = 0xC100, 65504 = 0x7BFF, smallest subnormal 0x0001 = 2^-24.
        // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00, 3.140625 = 0x4049.
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes([
                SafetensorsWriter.f32("a", shape: [2, 3], [1, 2, 3, 4, 5, -6.25]),
                SafetensorsWriter.u16("h", dtype: "F16", shape: [4], [0x3C00, 0xC100, 0x7BFF, 0x0001]),
                SafetensorsWriter.u16("b", dtype: "BF16", shape: [3], [0x3F80, 0xBF00, 0x4049])
            ]), to: url)
        let file = try SafetensorsFile(path: url.path)
        #expect(file.metadata == ["format": "pt"])
        let a = try file.tensor("a")
        #expect(a.shape == [2, 3] && a.elements == [1, 2, 3, 4, 5, -6.25])
        #expect(try file.tensor("h").elements == [1, -2.5, 65504, 5.9604645e-08])
        #expect(try file.tensor("b").elements == [1, -0.5, 3.140625])
    }

    @Test("F16 conversion agrees with Float16 for every bit pattern")
    func halfConversionExhaustive() {
        #if arch(x86_64) || arch(arm64)
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = FloatConversion.half(bits)
            if expected.isNaN {
                #expect(actual.isNaN)
            } else if actual != expected {
                Issue.record("half \(bits): \(actual) != \(expected)")
                return
            }
        }
        #endif
    }

    private func expectError(_ bytes: [UInt8], containing fragment: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("bad.safetensors")
        try SafetensorsWriter.write(bytes, to: url)
        do {
            _ = try SafetensorsFile(path: url.path)
            Issue.record("expected an error containing '\(fragment)'")
        } catch let error as ModelFormatError {
            #expect(error.path == url.path)
            #expect(error.message.contains(fragment), "message was: \(error.message)")
        }
    }

    @Test("a file shorter than the header length is an error, not a crash")
    func truncatedHeader() throws {
        try expectError([1, 2, 3], containing: "8-byte header length is missing")
        let good = SafetensorsWriter.bytes([SafetensorsWriter.f32("w", shape: [4], [1, 2, 3, 4])])
        try expectError(Array(good.prefix(20)), containing: "the header claims")
    }

    @Test("a truncated data section names the tensor")
    func truncatedData() throws {
        let good = SafetensorsWriter.bytes([SafetensorsWriter.f32("layer.weight", shape: [4], [1, 2, 3, 4])])
        try expectError(Array(good.dropLast(3)), containing: "tensor 'layer.weight' ends at byte")
    }

    @Test("a header that lies about offsets or shape is an error naming the tensor")
    func lyingHeader() throws {
        let data = SafetensorsWriter.f32("w", shape: [2], [1, 2]).bytes
        func file(_ header: String) -> [UInt8] {
            SafetensorsWriter.bytes(
                [SafetensorsWriter.Item(name: "w", dtype: "F32", shape: [2], bytes: data)],
                header: header)
        }
        try expectError(
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"),
            containing: "tensor 'w': data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12")
        try expectError(
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}"),
            containing: "invalid data_offsets")
        try expectError(
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"),
            containing: "tensor 'w' ends at byte")
        try expectError(
            file("{\"w\":{\"dtype\":\"Q9\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
            containing: "unknown dtype 'Q9'")
        try expectError(
            file("{\"w\":{\"shape\":[2]}}"), containing: "entry must have dtype, shape and two data_offsets")
        try expectError(
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}"),
            containing: "tensor 'w': entry must have dtype, shape and two data_offsets")
        try expectError(
            file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3037000500,3037000500],\"data_offsets\":[0,8]}}"),
            containing: "tensor 'w': shape [3037000500, 3037000500] is too large")
        try expectError(file("{not json"), containing: "not valid JSON")
    }

    @Test("a missing tensor is an error naming it")
    func missingTensor() throws {
        let dir = try Fixtures.temporaryDirectory()
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes([SafetensorsWriter.f32("a", shape: [1], [1])]),
            to: dir.appendingPathComponent("model.safetensors"))
        let checkpoint = try SafetensorsCheckpoint(directory: dir)
        #expect(throws: ModelFormatError(path: dir.path, "missing tensor 'lm_head.weight'")) {
            try checkpoint.tensor("lm_head.weight")
        }
        #expect(
            throws: ModelFormatError(
                path: dir.path,
                "tensor 'a' has shape [1], expected [2] from config.json")
        ) {
            try checkpoint.tensor("a", shape: [2])
        }
    }
}
