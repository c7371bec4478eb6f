import Testing
import ModelFormats

@Suite("dequantisation: F16")
struct DequantizationF16Tests {
    @Test("gguf-py fixture tensor matches bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.f16) == 1)
    }

    @Test("special values: signed zero, subnormal, max, infinity")
    func specials() {
        let y = DequantizationFixtures.dequantize(.f16, GGUFWriter.u16([0x8000, 0x0001, 0x7BFF, 0xFC00, 0x3C00]))
        #expect(y.map(\.bitPattern) == [Float(-0.0), 5.9604645e-08, 65504, -.infinity, 1].map(\.bitPattern))
    }
}
