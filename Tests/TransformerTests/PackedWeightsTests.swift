import Foundation
import ModelFormats
import Testing
import TestSupport
import Transformer

/// Weights kept as stored (`WeightFormat.quantized`: GGUF blocks, F16/BF16 matrices decoded a tile at a time) against
/// the same file converted to float32 at load: every recorded activation, the logits and the gradients must be the
/// same bits, at one worker and at two.
@Suite("Packed weights give the float32 path's bits")
struct PackedWeightsTests {
    /// The bit patterns of `values`, so that equality is exact (and NaN equals NaN).
    static func bits<C: Collection>(_ values: C) -> [UInt32] where C.Element == Float { values.map(\.bitPattern) }

    /// Runs `ids` forward (every position's logits) and backward (the last position's top logit) on both models and
    /// checks that the traces and gradients agree bit for bit.
    static func expectIdentical(_ f32: DecoderModel, _ packed: DecoderModel, ids: [Int], label: String) throws {
        for workers in [1, 2] {
            let options = ForwardOptions.allLogits(tokens: ids.count, workers: workers)
            let a = try f32.forward(tokens: ids, options: options)
            let b = try packed.forward(tokens: ids, options: options)
            #expect(bits(a.storage) == bits(b.storage), "\(label): trace at \(workers) workers")
            let last = try #require(a.logits(at: ids.count - 1))
            let token = try #require(last.indices.max { last[$0] < last[$1] }) - last.startIndex
            let target = GradientTarget(position: ids.count - 1, token: token)
            let gradientA = try f32.backward(trace: a, target: target, options: BackwardOptions(workers: workers))
            let gradientB = try packed.backward(trace: b, target: target, options: BackwardOptions(workers: workers))
            #expect(bits(gradientA.residual) == bits(gradientB.residual), "\(label): gradients at \(workers) workers")
            #expect(gradientA.values == gradientB.values)
        }
    }

    static let realModels = [
        "gemma-3-270m-q4_k_m.gguf", "SmolLM2-135M-Instruct.Q4_1.gguf", "qwen2.5-coder-0.5b-instruct.gguf"
    ]

    @Test(
        "real GGUF models: quantized and f32 agree bit for bit; the packed one holds the file's bytes",
        arguments: realModels)
    func realModel(_ file: String) throws {
        let url = Fixtures.realModel(file)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install NAME (scripts/test does)")
        let f32 = try ModelLoader.load(url, weights: .f32)
        let packed = try ModelLoader.load(url, weights: .quantized)
        #expect(!f32.lmHead.weight.isPacked && packed.lmHead.weight.isPacked && packed.tokenEmbedding.isPacked)
        #expect(packed.layers.allSatisfy { $0.ffn.down.weight.isPacked && $0.attention.query.weight.isPacked })
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(packed.weightBytes <= size && packed.weightBytes > size * 9 / 10)
        #expect(f32.weightBytes > 3 * size)
        // A prompt of 37 tokens: not a multiple of the tile or worker chunk sizes.
        let ids = (0..<37).map { ($0 * 7919 + 11) % f32.info.vocabSize }
        try Self.expectIdentical(f32, packed, ids: ids, label: file)
    }

    /// tiny-llama rewritten with every matrix in `dtype` (F16 or BF16; vectors stay F32), in a temporary directory.
    static func halfPrecisionCopy(dtype: String) throws -> URL {
        let source = Fixtures.model("tiny-llama")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("glassbox-\(dtype)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name != "model.safetensors" {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let file = try SafetensorsFile(path: source.appendingPathComponent("model.safetensors").path)
        let items = try file.entries.keys.sorted().map { name -> SafetensorsWriter.Item in
            let tensor = try file.tensor(name)
            guard tensor.shape.count == 2 else {
                return SafetensorsWriter.f32(name, shape: tensor.shape, tensor.elements)
            }
            let halves = tensor.elements.map { x -> UInt16 in
                dtype == "F16" ? Float16(x).bitPattern : UInt16(truncatingIfNeeded: x.bitPattern >> 16)
            }
            return SafetensorsWriter.u16(name, dtype: dtype, shape: tensor.shape, halves)
        }
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes(items), to: directory.appendingPathComponent("model.safetensors"))
        return directory
    }

    @Test("F16 and BF16 safetensors: matrices stay half-size and give the f32 path's bits", arguments: ["F16", "BF16"])
    func halfPrecision(_ dtype: String) throws {
        let directory = try Self.halfPrecisionCopy(dtype: dtype)
        defer { try? FileManager.default.removeItem(at: directory) }
        let f32 = try ModelLoader.load(directory: directory, weights: .f32)
        let packed = try ModelLoader.load(directory: directory, weights: .quantized)
        #expect(packed.layers[0].ffn.up.weight.isPacked && packed.tokenEmbedding.isPacked)
        #expect(!f32.layers[0].ffn.up.weight.isPacked)
        #expect(packed.layers[0].ffn.up.weight.residentBytes * 2 == f32.layers[0].ffn.up.weight.residentBytes)
        try Self.expectIdentical(f32, packed, ids: [1, 5, 9, 200, 31, 7, 64, 3, 18], label: dtype)
    }

    @Test("a packed matrix decodes rows, reordered rows and columns as the dense one")
    func matrixAccess() throws {
        let url = Fixtures.realModel("SmolLM2-135M-Instruct.Q4_1.gguf")
        try #require(FileManager.default.fileExists(atPath: url.path), "\(url.path) is missing")
        let f32 = try ModelLoader.load(url, weights: .f32)
        let packed = try ModelLoader.load(url, weights: .quantized)
        // The query projection is stored in llama.cpp's permuted row order and reordered at load.
        let dense = f32.layers[3].attention.query, rows = packed.layers[3].attention.query
        for o in [0, 1, 31, 32, 63, 64, 575] {
            #expect(Self.bits(dense.outputRow(o)) == Self.bits(rows.outputRow(o)), "row \(o)")
        }
        for i in [0, 17, 255, 256, 575] {
            #expect(Self.bits(dense.inputColumn(i)) == Self.bits(rows.inputColumn(i)), "column \(i)")
        }
        #expect(Self.bits(f32.tokenEmbedding.row(49_151)) == Self.bits(packed.tokenEmbedding.row(49_151)))
    }
}
