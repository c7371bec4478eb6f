import Testing
import ModelFormats

@Suite("dequantisation: F32")
struct DequantizationF32Tests {
    @Test("gguf-py fixture tensor matches bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.f32) == 1)
    }
}
