import Testing
import TestSupport
import Transformer

@Suite("Forward pass split over workers")
struct ParallelForwardTests {
    @Test(
        "two and three workers reproduce the serial trace and are deterministic",
        arguments: ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"])
    func matchesSerial(_ name: String) throws {
        let model = try ModelLoader.load(directory: Fixtures.model(name))
        let golden = try GoldenForward.load(name)
        let ids = golden.prompts[1].ids
        let serial = try model.forward(tokens: ids, options: .allLogits(tokens: ids.count))
        for workers in [2, 3] {
            let options = ForwardOptions.allLogits(tokens: ids.count, workers: workers)
            let parallel = try model.forward(tokens: ids, options: options)
            // Column blocks of a GEMM may round differently from the whole call: within 1e-5 relative with a floor of
            // 1e-6 of the largest magnitude (last-bit differences carried through two layers).
            let scale = Double(serial.storage.map(abs).max() ?? 1)
            let result = compare(
                parallel.storage, serial.storage.map(Double.init), label: "\(name) \(workers) workers",
                relative: 1e-5, absolute: 1e-6 * scale)
            #expect(result.passed, "\(result)")
            #expect(
                try model.forward(tokens: ids, options: options).storage == parallel.storage,
                "repeated runs with \(workers) workers are bit-identical")
        }
    }
}
