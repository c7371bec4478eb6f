import Testing
import ModelFormats

@Suite("dequantisation: Q4_0")
struct DequantizationQ4_0Tests {
    @Test("gguf-py fixture tensors (quantised and random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q4_0) == 2)
    }

    @Test("a hand-computed block: low nibbles first, minus 8")
    func handBlock() {
        // d = 2 (f16 0x4000); qs[j] = 0xF0 | j  → y[j] = 2 * (j - 8), y[j+16] = 2 * 7.
        let bytes: [UInt8] = [0x00, 0x40] + (0..<16).map { 0xF0 | UInt8($0) }
        let y = DequantizationFixtures.dequantize(.q4_0, bytes)
        let low: [Float] = (0..<16).map { Float(2 * ($0 - 8)) }
        let high = [Float](repeating: 14, count: 16)
        #expect(y == low + high)
    }
}
