import Testing
import ModelFormats

@Suite("dequantisation: Q5_1")
struct DequantizationQ5_1Tests {
    @Test("gguf-py fixture tensors (quantised and random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q5_1) == 2)
    }
}
