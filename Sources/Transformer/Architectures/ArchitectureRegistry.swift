import Foundation
import ModelFormats

/// Maps a checkpoint's `model_type` to the code that builds it. Adding an architecture is one file plus one entry.
public enum ArchitectureRegistry {
    typealias Builder = @Sendable (JSONConfig, SafetensorsCheckpoint, WeightFormat) throws -> DecoderModel

    static let builders: [String: Builder] = [
        "gemma3_text": { config, checkpoint, format in
            try Gemma3.load(config: config, checkpoint: checkpoint, format: format)
        },
        "gpt2": { config, checkpoint, format in try GPT2.load(config: config, checkpoint: checkpoint, format: format) },
        "llama": llama(modelType: "llama", architecture: "LlamaForCausalLM"),
        "mistral": llama(modelType: "mistral", architecture: "MistralForCausalLM"),
        "phi3": { config, checkpoint, format in try Phi3.load(config: config, checkpoint: checkpoint, format: format) },
        "qwen2": llama(modelType: "qwen2", architecture: "Qwen2ForCausalLM"),
        "qwen3": llama(modelType: "qwen3", architecture: "Qwen3ForCausalLM")
    ]

    /// The builder of one Llama-family model type.
    private static func llama(modelType: String, architecture: String) -> Builder {
        { config, checkpoint, format in
            try Llama.load(
                config: config, checkpoint: checkpoint, modelType: modelType, architecture: architecture,
                format: format)
        }
    }

    /// The `model_type` values that load.
    public static var supportedModelTypes: [String] { builders.keys.sorted() }
}

/// Loads a model: a Hugging Face checkpoint directory (`config.json` + safetensors) or a GGUF file.
public enum ModelLoader {
    /// Architectures that load from GGUF files, by `general.architecture`.
    static let ggufBuilders: [String: @Sendable (GGUFFile, WeightFormat) throws -> DecoderModel] = [
        "gemma3": { file, format in try Gemma3.load(gguf: file, format: format) },
        "llama": { file, format in try Llama.load(gguf: file, format: format) },
        "qwen2": { file, format in try Llama.load(gguf: file, format: format) }
    ]

    /// Loads the directory or GGUF file at `url`, keeping its weights as `format` says.
    public static func load(_ url: URL, weights format: WeightFormat = .standard) throws -> DecoderModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelFormatError(path: url.path, "no such model directory or GGUF file")
        }
        return isDirectory.boolValue
            ? try load(directory: url, weights: format) : try load(gguf: url, weights: format)
    }

    /// Reads `directory/config.json`, picks the architecture from its `model_type`, and loads the weights.
    public static func load(directory: URL, weights format: WeightFormat = .standard) throws -> DecoderModel {
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
        return try build(config, checkpoint, format)
    }

    /// Opens a GGUF file and builds the architecture its `general.architecture` names.
    public static func load(gguf url: URL, weights format: WeightFormat = .standard) throws -> DecoderModel {
        let file = try GGUFFile(path: url.path)
        let meta = try GGUFHyperparameters(file: file)
        guard let build = ggufBuilders[meta.architecture] else {
            throw ModelFormatError(
                path: url.path,
                "GGUF architecture \"\(meta.architecture)\" is not supported "
                    + "(supported: " + ggufBuilders.keys.sorted().joined(separator: ", ") + ")")
        }
        return try build(file, format)
    }
}
