import Foundation
public import ModelFormats

extension TokenizerLoader {
    /// Loads the tokenizer of a model directory or, for a file, of a GGUF model.
    public static func load(_ url: URL) throws -> any Tokenizer {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try load(gguf: GGUFFile(path: url.path))
        }
        return try load(directory: url)
    }

    /// The tokenizer stored in a GGUF file's `tokenizer.ggml.*` metadata. SentencePiece vocabularies
    /// (`tokenizer.ggml.model = "llama"`: Gemma, Llama 2, Mistral v0.1) are supported.
    public static func load(gguf file: GGUFFile) throws -> any Tokenizer {
        let meta = file.metadata
        func fail(_ message: String) -> TokenizerError { TokenizerError(.unsupported, "\(file.path): \(message)") }
        let model = meta["tokenizer.ggml.model"]?.stringValue
        guard model == "llama" else {
            throw fail("tokenizer model \"\(model ?? "(none)")\" in GGUF metadata is not supported yet (supported: llama)")
        }
        guard let tokens = meta["tokenizer.ggml.tokens"]?.stringArray,
              let scores = meta["tokenizer.ggml.scores"]?.floatArray,
              let types = meta["tokenizer.ggml.token_type"]?.intArray else {
            throw fail("tokenizer.ggml.tokens, .scores and .token_type must be arrays of strings, floats and integers")
        }
        return try SentencePieceTokenizer(
            tokens: tokens, scores: scores, types: types.map { Int32(truncatingIfNeeded: $0) },
            bosTokenID: meta["tokenizer.ggml.bos_token_id"]?.intValue,
            eosTokenID: meta["tokenizer.ggml.eos_token_id"]?.intValue,
            addsBOS: meta["tokenizer.ggml.add_bos_token"]?.boolValue ?? true,
            addSpacePrefix: meta["tokenizer.ggml.add_space_prefix"]?.boolValue ?? true)
    }
}
