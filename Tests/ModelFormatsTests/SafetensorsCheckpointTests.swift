import Foundation
import Testing
import TestSupport
import ModelFormats

@Suite("sharded and single-file checkpoints")
struct SafetensorsCheckpointTests {
    @Test("a sharded checkpoint finds each tensor in its shard")
    func sharded() throws {
        let dir = try Fixtures.temporaryDirectory()
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes([SafetensorsWriter.f32("a", shape: [2], [1, 2])]),
            to: dir.appendingPathComponent("model-00001-of-00002.safetensors"))
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes([SafetensorsWriter.f32("b", shape: [1], [7])]),
            to: dir.appendingPathComponent("model-00002-of-00002.safetensors"))
        try Data(
            """
            {"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
            """.utf8
        ).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let checkpoint = try SafetensorsCheckpoint(directory: dir)
        #expect(checkpoint.tensorNames == ["a", "b"])
        #expect(try checkpoint.tensor("b").elements == [7])
        #expect(checkpoint.shape(of: "a") == [2])
    }

    @Test("an index that names a tensor its shard lacks is an error")
    func lyingIndex() throws {
        let dir = try Fixtures.temporaryDirectory()
        try SafetensorsWriter.write(
            SafetensorsWriter.bytes([SafetensorsWriter.f32("a", shape: [1], [1])]),
            to: dir.appendingPathComponent("s1.safetensors"))
        try Data(#"{"weight_map": {"a": "s1.safetensors", "zzz": "s1.safetensors"}}"#.utf8)
            .write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        #expect(
            throws: ModelFormatError(
                path: dir.appendingPathComponent("s1.safetensors").path,
                "the index says it holds tensor 'zzz', but it does not")
        ) {
            try SafetensorsCheckpoint(directory: dir)
        }
    }

    @Test("a directory without weights is an error")
    func noWeights() throws {
        let dir = try Fixtures.temporaryDirectory()
        #expect(
            throws: ModelFormatError(
                path: dir.path,
                "no model.safetensors or model.safetensors.index.json in this directory")
        ) {
            try SafetensorsCheckpoint(directory: dir)
        }
    }
}
