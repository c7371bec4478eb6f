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

    /// The tokenizer stored in a GGUF file's `tokenizer.ggml.*` metadata: SentencePiece vocabularies
    /// (`tokenizer.ggml.model = "llama"`: Gemma, Llama 2, Mistral v0.1) and byte-level BPE (`"gpt2"`: SmolLM2, Llama 3,
    /// Qwen2, with the pre-tokenizer `tokenizer.ggml.pre` names).
    public static func load(gguf file: GGUFFile) throws -> any Tokenizer {
        let meta = file.metadata
        func fail(_ message: String) -> TokenizerError { TokenizerError(.unsupported, "\(file.path): \(message)") }
        let model = meta["tokenizer.ggml.model"]?.stringValue
        if model == "gpt2" { return try byteLevel(file) }
        guard model == "llama" else {
            throw fail(
                "tokenizer model \"\(model ?? "(none)")\" in GGUF metadata is not supported yet "
                    + "(supported: llama, gpt2)")
        }
        guard let tokens = meta["tokenizer.ggml.tokens"]?.stringArray,
            let scores = meta["tokenizer.ggml.scores"]?.floatArray,
            let types = meta["tokenizer.ggml.token_type"]?.intArray
        else {
            throw fail("tokenizer.ggml.tokens, .scores and .token_type must be arrays of strings, floats and integers")
        }
        return try SentencePieceTokenizer(
            tokens: tokens, scores: scores, types: types.map { Int32(truncatingIfNeeded: $0) },
            bosTokenID: meta["tokenizer.ggml.bos_token_id"]?.intValue,
            eosTokenID: meta["tokenizer.ggml.eos_token_id"]?.intValue,
            padTokenID: meta["tokenizer.ggml.padding_token_id"]?.intValue,
            unkTokenID: meta["tokenizer.ggml.unknown_token_id"]?.intValue,
            addsBOS: meta["tokenizer.ggml.add_bos_token"]?.boolValue ?? true,
            addSpacePrefix: meta["tokenizer.ggml.add_space_prefix"]?.boolValue ?? true)
    }
}

extension TokenizerLoader {
    /// Byte-level BPE from `tokenizer.ggml.tokens` / `.merges` (`"a b"` strings) / `.token_type`; control tokens
    /// become special added tokens and user-defined ones plain added tokens, as transformers' GGUF converter does.
    static func byteLevel(_ file: GGUFFile) throws -> any Tokenizer {
        let meta = file.metadata
        func fail(_ message: String) -> TokenizerError { TokenizerError(.unsupported, "\(file.path): \(message)") }
        guard let tokens = meta["tokenizer.ggml.tokens"]?.stringArray,
            let mergeLines = meta["tokenizer.ggml.merges"]?.stringArray
        else {
            throw fail("tokenizer.ggml.tokens and .merges must be arrays of strings")
        }
        let pre = meta["tokenizer.ggml.pre"]?.stringValue ?? "default"
        guard let kind = PreTokenizerKind(ggufName: pre) else {
            throw fail(
                "pre-tokenizer \"\(pre)\" (tokenizer.ggml.pre) is not supported (supported: gpt2, default, "
                    + "llama-bpe, qwen2, smollm)")
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(mergeLines.count)
        for line in mergeLines {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw fail("merge \"\(line)\" is not two pieces separated by a space") }
            merges.append((String(parts[0]), String(parts[1])))
        }
        let types = meta["tokenizer.ggml.token_type"]?.intArray ?? []
        var added: [AddedToken] = []
        for (id, type) in types.enumerated() where (type == 3 || type == 4) && id < tokens.count {
            added.append(AddedToken(id: id, content: tokens[id], special: type == 3))
        }
        return try ByteLevelBPETokenizer(
            vocabulary: tokens, merges: merges, kind: kind, addedTokens: added,
            bosTokenID: meta["tokenizer.ggml.bos_token_id"]?.intValue,
            eosTokenID: meta["tokenizer.ggml.eos_token_id"]?.intValue,
            padTokenID: meta["tokenizer.ggml.padding_token_id"]?.intValue,
            unkTokenID: meta["tokenizer.ggml.unknown_token_id"]?.intValue,
            addsBOS: meta["tokenizer.ggml.add_bos_token"]?.boolValue ?? false)
    }
}
