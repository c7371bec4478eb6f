import Foundation
import ModelFormats

/// Maps a checkpoint's `model_type` to the code that builds it. Adding an architecture is one file plus one entry.
public enum ArchitectureRegistry {
    typealias Builder = @Sendable (JSONConfig, SafetensorsCheckpoint) throws -> DecoderModel

    static let builders: [String: Builder] = [
        "gemma3_text": { config, checkpoint in try Gemma3.load(config: config, checkpoint: checkpoint) },
        "gpt2": { config, checkpoint in try GPT2.load(config: config, checkpoint: checkpoint) },
        "llama": { config, checkpoint in
            try Llama.load(config: config, checkpoint: checkpoint, modelType: "llama", architecture: "LlamaForCausalLM")
        },
        "mistral": { config, checkpoint in
            try Llama.load(config: config, checkpoint: checkpoint, modelType: "mistral",
                           architecture: "MistralForCausalLM")
        },
        "qwen2": { config, checkpoint in
            try Llama.load(config: config, checkpoint: checkpoint, modelType: "qwen2", architecture: "Qwen2ForCausalLM")
        },
    ]

    /// The `model_type` values that load.
    public static var supportedModelTypes: [String] { builders.keys.sorted() }
}

/// Loads a Hugging Face checkpoint directory (`config.json` + safetensors) into a `DecoderModel`.
public enum ModelLoader {
    /// Reads `directory/config.json`, picks the architecture from its `model_type`, and loads the weights.
    public static func load(directory: URL) throws -> DecoderModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw ModelFormatError(path: directory.path, "no such model directory")
        }
        guard isDirectory.boolValue else {
            throw ModelFormatError(path: directory.path, "expected a model directory with config.json and safetensors")
        }
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelFormatError(path: directory.path, "no config.json in this directory")
        }
        let config = try JSONConfig(contentsOf: configURL)
        let modelType = try config.string("model_type")
        guard let build = ArchitectureRegistry.builders[modelType] else {
            throw ModelFormatError(path: configURL.path, "model_type \"\(modelType)\" is not supported (supported: "
                                   + ArchitectureRegistry.supportedModelTypes.joined(separator: ", ") + ")")
        }
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        return try build(config, checkpoint)
    }
}
