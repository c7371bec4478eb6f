import Testing
import ModelFormats

@Suite("dequantisation: Q8_0")
struct DequantizationQ8_0Tests {
    @Test("the spec block from the Gemma file dequantises bit-exactly")
    func specVector() throws {
        #expect(try DequantizationFixtures.checkSpecVectors(.q8_0) == 1)
    }

    @Test("gguf-py fixture tensors (quantised and random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q8_0) == 2)
    }

    @Test("a hand-computed block: y = d * qs")
    func handBlock() {
        // d = 0.5 (f16 0x3800); qs = 0, 1, -1, 127, -128, then 2 repeated.
        let qs: [Int8] = [0, 1, -1, 127, -128] + Array(repeating: 2, count: 27)
        let bytes: [UInt8] = [0x00, 0x38] + qs.map { UInt8(bitPattern: $0) }
        let y = DequantizationFixtures.dequantize(.q8_0, bytes)
        #expect(y == [0, 0.5, -0.5, 63.5, -64] + Array(repeating: 1, count: 27))
    }
}
