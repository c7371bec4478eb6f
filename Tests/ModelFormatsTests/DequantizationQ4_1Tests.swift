import Testing
import ModelFormats

@Suite("dequantisation: Q4_1")
struct DequantizationQ4_1Tests {
    @Test("gguf-py fixture tensors (quantised and random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q4_1) == 2)
    }
}
