import Testing
import ModelFormats

@Suite("dequantisation: Q6_K")
struct DequantizationQ6_KTests {
    @Test("the spec block from the Gemma file dequantises bit-exactly")
    func specVector() throws {
        #expect(try DequantizationFixtures.checkSpecVectors(.q6_K) == 1)
    }

    @Test("gguf-py fixture tensors (random bytes) match bit for bit")
    func ggufPy() throws {
        #expect(try DequantizationFixtures.checkGGUFPyTensors(.q6_K) == 1)
    }
}
