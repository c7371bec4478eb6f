import Testing
import ModelFormats

@Suite("dequantisation: Q8_K")
struct DequantizationQ8_KTests {
    @Test("a hand-computed block: f32 d, int8 qs, bsums ignored")
    func handBlock() {
        // d = -0.25; qs[j] = j - 128 (so -128...127); bsums arbitrary.
        var bytes = GGUFWriter.f32([-0.25])
        bytes += (0..<256).map { UInt8($0 ^ 0x80) }
        bytes += [UInt8](repeating: 0xAB, count: 32)
        #expect(bytes.count == 292)
        let y = DequantizationFixtures.dequantize(.q8_K, bytes + bytes)
        let block = (0..<256).map { Float($0 - 128) * -0.25 }
        #expect(y == block + block)
    }
}
