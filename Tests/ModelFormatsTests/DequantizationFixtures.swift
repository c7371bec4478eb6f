import Foundation
import Testing
import TestSupport
import ModelFormats

/// Test vectors for dequantisation (`docs/models.md` §3): the blocks from the real Gemma file
/// (`gguf/dequant_vectors.json`) and the gguf-py fixture (`gguf/quants.gguf` + `gguf/quants_expected.json`, from
/// `tools/references/make_gguf_fixtures.py`).
enum DequantizationFixtures {
    struct SpecVector: Decodable {
        var tensor: String
        var type: String
        var block_bytes_hex: String
        var dequantized: [Double]
    }

    struct SpecFile: Decodable {
        var dequant_vectors: [SpecVector]
    }

    struct ExpectedTensor: Decodable {
        var type: String
        var ne: [Int]
        var f32_hex: String
    }

    struct ExpectedFile: Decodable {
        var tensors: [String: ExpectedTensor]
    }

    static var directory: URL { Fixtures.root.appendingPathComponent("gguf", isDirectory: true) }

    /// The spec's vectors of type `type` (e.g. "Q4_K").
    static func specVectors(_ type: GGUFTensorType) throws -> [SpecVector] {
        let data = try Data(contentsOf: directory.appendingPathComponent("dequant_vectors.json"))
        return try JSONDecoder().decode(SpecFile.self, from: data).dequant_vectors.filter { $0.type == type.name }
    }

    /// Bytes of a hex string.
    static func hexBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)
        }
    }

    /// Little-endian float32 values of a hex string.
    static func hexFloats(_ hex: String) -> [Float] {
        let bytes = hexBytes(hex)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(
                bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                    | UInt32(bytes[i + 3]) << 24)
        }
    }

    /// Dequantises `bytes` of `type`, which must be supported and whole blocks.
    static func dequantize(_ type: GGUFTensorType, _ bytes: [UInt8]) -> [Float] {
        let result = bytes.withUnsafeBytes { Dequantization.dequantize(type, $0) }
        #expect(result != nil, "\(type) should be supported and \(bytes.count) bytes whole blocks")
        return result ?? []
    }

    /// Records an issue at the first element whose bit pattern differs.
    static func expectBitExact(
        _ actual: [Float], _ expected: [Float], _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.count == expected.count, "\(label): count", sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() where a.bitPattern != e.bitPattern {
            let message =
                "\(label)[\(i)]: \(a) (0x\(String(a.bitPattern, radix: 16))) != \(e) "
                + "(0x\(String(e.bitPattern, radix: 16)))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return
        }
    }

    /// Every spec vector of `type` dequantises bit-exactly; returns how many there were.
    @discardableResult
    static func checkSpecVectors(_ type: GGUFTensorType, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> Int
    {
        let vectors = try specVectors(type)
        for vector in vectors {
            let bytes = hexBytes(vector.block_bytes_hex)
            #expect(bytes.count == type.blockBytes, sourceLocation: sourceLocation)
            expectBitExact(
                dequantize(type, bytes), vector.dequantized.map { Float($0) }, vector.tensor,
                sourceLocation: sourceLocation)
        }
        return vectors.count
    }

    /// Every tensor of `type` in the gguf-py fixture reads back (via `GGUFFile.tensor`) with the HF shape and
    /// gguf-py's dequantised values bit for bit; returns how many there were.
    @discardableResult
    static func checkGGUFPyTensors(
        _ type: GGUFTensorType,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        let data = try Data(contentsOf: directory.appendingPathComponent("quants_expected.json"))
        let expected = try JSONDecoder().decode(ExpectedFile.self, from: data).tensors.filter {
            $0.value.type == type.name
        }
        let file = try GGUFFile(path: directory.appendingPathComponent("quants.gguf").path)
        for (name, tensor) in expected.sorted(by: { $0.key < $1.key }) {
            let info = try file.requireTensorInfo(named: name)
            #expect(info.type == type && info.ne == tensor.ne, "\(name)", sourceLocation: sourceLocation)
            let actual = try file.tensor(named: name)
            #expect(actual.shape == tensor.ne.reversed(), "\(name)", sourceLocation: sourceLocation)
            expectBitExact(actual.elements, hexFloats(tensor.f32_hex), name, sourceLocation: sourceLocation)
        }
        return expected.count
    }
}
