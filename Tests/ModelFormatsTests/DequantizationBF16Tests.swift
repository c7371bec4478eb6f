import Testing
import ModelFormats

@Suite("dequantisation: BF16")
struct DequantizationBF16Tests {
    @Test("gguf-py fixture tensor matches bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.bf16) == 1)
    }

    @Test("bits are the upper half of a float32")
    func upperHalf() {
        let y = DequantizationFixtures.dequantize(.bf16, GGUFWriter.u16([0x3F80, 0xBF00, 0x4049]))
        #expect(y == [1, -0.5, 3.140625])
    }
}
