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
            try Llama.load(
                config: config, checkpoint: checkpoint, modelType: "mistral",
                architecture: "MistralForCausalLM")
        },
        "phi3": { config, checkpoint in try Phi3.load(config: config, checkpoint: checkpoint) },
        "qwen2": { config, checkpoint in
            try Llama.load(config: config, checkpoint: checkpoint, modelType: "qwen2", architecture: "Qwen2ForCausalLM")
        },
        "qwen3": { config, checkpoint in
            try Llama.load(config: config, checkpoint: checkpoint, modelType: "qwen3", architecture: "Qwen3ForCausalLM")
        }
    ]

    /// The `model_type` values that load.
    public static var supportedModelTypes: [String] { builders.keys.sorted() }
}

/// Loads a model: a Hugging Face checkpoint directory (`config.json` + safetensors) or a GGUF file.
public enum ModelLoader {
    /// Architectures that load from GGUF files, by `general.architecture`.
    static let ggufBuilders: [String: @Sendable (GGUFFile) throws -> DecoderModel] = [
        "gemma3": { file in try Gemma3.load(gguf: file) },
        "llama": { file in try Llama.load(gguf: file) },
        "qwen2": { file in try Llama.load(gguf: file) }
    ]

    /// Loads the directory or GGUF file at `url`.
    public static func load(_ url: URL) throws -> DecoderModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelFormatError(path: url.path, "no such model directory or GGUF file")
        }
        return isDirectory.boolValue ? try load(directory: url) : try load(gguf: url)
    }

    /// Reads `directory/config.json`, picks the architecture from its `model_type`, and loads the weights.
    public static func load(directory: URL) throws -> DecoderModel {
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelFormatError(path: directory.path, "no config.json in this directory")
        }
        let config = try JSONConfig(contentsOf: configURL)
        let modelType = try config.string("model_type")
        guard let build = ArchitectureRegistry.builders[modelType] else {
            throw ModelFormatError(
                path: configURL.path,
                "model_type \"\(modelType)\" is not supported (supported: "
                    + ArchitectureRegistry.supportedModelTypes.joined(separator: ", ") + ")")
        }
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        return try build(config, checkpoint)
    }

    /// Opens a GGUF file and builds the architecture its `general.architecture` names.
    public static func load(gguf url: URL) throws -> DecoderModel {
        let file = try GGUFFile(path: url.path)
        let meta = try GGUFHyperparameters(file: file)
        guard let build = ggufBuilders[meta.architecture] else {
            throw ModelFormatError(
                path: url.path,
                "GGUF architecture \"\(meta.architecture)\" is not supported "
                    + "(supported: " + ggufBuilders.keys.sorted().joined(separator: ", ") + ")")
        }
        return try build(file)
    }
}
