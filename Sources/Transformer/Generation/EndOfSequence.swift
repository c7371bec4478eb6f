import Foundation
import ModelFormats
import Tokenizers

/// The token ids that end a model's generation, as transformers' `generate` takes them.
public enum EndOfSequence {
    /// For a Hugging Face directory, `eos_token_id` (a number or a list) of `generation_config.json`, else of
    /// `config.json`, else the tokenizer's end-of-sequence token; for a GGUF file, the tokenizer's
    /// (`tokenizer.ggml.eos_token_id`, which is what transformers' GGUF loader puts in the model's configuration).
    public static func ids(modelAt url: URL, tokenizer: any Tokenizer) throws -> [Int] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            for file in ["generation_config.json", "config.json"] {
                let path = url.appendingPathComponent(file)
                guard FileManager.default.fileExists(atPath: path.path) else { continue }
                if let ids = try ids(in: JSONConfig(contentsOf: path)) { return ids }
            }
        }
        return tokenizer.eosTokenID.map { [$0] } ?? []
    }

    /// `eos_token_id` of a configuration: nil when absent or null.
    static func ids(in config: JSONConfig) throws -> [Int]? {
        guard let value = config["eos_token_id"], !value.isNull else { return nil }
        if let id = value.intValue { return [id] }
        if let items = value.arrayValue {
            let ids = items.compactMap(\.intValue)
            if ids.count == items.count { return ids }
        }
        throw ModelFormatError(
            path: config.path, "key \"eos_token_id\" must be a token id or a list of ids, found \(value.typeName)")
    }
}
