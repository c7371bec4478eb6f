import Testing
import ModelFormats

@Suite("dequantisation: Q5_0")
struct DequantizationQ5_0Tests {
    @Test("the spec block from the Gemma file dequantises bit-exactly")
    func specVector() throws {
        #expect(try DequantizationFixtures.checkSpecVectors(.q5_0) == 1)
    }

    @Test("gguf-py fixture tensors (quantised and random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q5_0) == 2)
    }
}
