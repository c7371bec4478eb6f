import Testing
import ModelFormats

@Suite("dequantisation: Q5_K")
struct DequantizationQ5_KTests {
    @Test("gguf-py fixture tensors (random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q5_K) == 1)
    }
}
