import JSON
/// The parts of an HF `tokenizer.json` that a BPE tokenizer needs: byte-level BPE (GPT-2, Llama 3, Qwen2) or
/// SentencePiece-style BPE over `▁`-pieces with byte fallback (Llama 2, Mistral, Gemma).
struct TokenizerJSON {
    /// Model vocabulary entries in file order.
    var vocabulary: [(token: String, id: Int)]
    /// Merges in rank order.
    var merges: [(String, String)]
    var ignoreMerges: Bool
    var unknownToken: String?
    /// `model.byte_fallback`: characters missing from the vocabulary become `<0xXX>` tokens.
    var byteFallback: Bool
    /// `model.fuse_unk`: adjacent unknown tokens become one.
    var fuseUnknown: Bool
    var addedTokens: [AddedToken]
    var normalizer: TextNormalizer
    var preTokenizer: PreTokenizer
    /// The post-processor's ids around the text, or nil when the file has no post-processor.
    var postProcessor: SpecialTokenTemplate?
    /// The decoder chain of a SentencePiece-style tokenizer (no ByteLevel pre-tokenizer); nil for byte-level BPE,
    /// whose pre-tokenizer ends with ByteLevel and whose decoder is ByteLevel.
    var decoder: TokenDecoder?

    /// Parses `tokenizer.json` bytes; `file` names the file in error messages.
    static func parse(_ bytes: [UInt8], file: String) throws(TokenizerError) -> TokenizerJSON {
        let root = try JSONObjectReader.tokenizerFile(bytes, file: file)
        let reader = JSONReader(file: file)
        guard let model = root["model"], !model.isNull else {
            throw .invalidJSON(file, "missing \"model\" section")
        }
        var json = try parseModel(model, reader: reader)
        json.addedTokens = try reader.addedTokens(root["added_tokens"] ?? .array([]), path: "added_tokens")
        json.normalizer = try parseNormalizer(root["normalizer"] ?? .null, reader: reader, path: "normalizer")
        var steps: [PreTokenizer.Step] = []
        try collectPreTokenizerSteps(
            root["pre_tokenizer"] ?? .null, reader: reader, path: "pre_tokenizer",
            into: &steps)
        json.preTokenizer = PreTokenizer(steps: steps)
        if let index = steps.firstIndex(where: { if case .byteLevel = $0 { true } else { false } }) {
            guard index == steps.count - 1 else {
                throw .unsupported(
                    file, "pre_tokenizer has a ByteLevel step before other steps, which is not supported")
            }
            if json.byteFallback {
                throw .unsupported(
                    file,
                    "model.byte_fallback is true with a ByteLevel pre-tokenizer; byte fallback is supported only "
                        + "for SentencePiece-style BPE (Metaspace or ▁ normalizers, no ByteLevel)")
            }
            try checkByteLevelDecoder(root["decoder"] ?? .null, reader: reader, path: "decoder")
        } else {
            json.decoder = try parseDecoder(root["decoder"] ?? .null, reader: reader, path: "decoder")
        }
        json.postProcessor = try parsePostProcessor(
            root["post_processor"] ?? .null, reader: reader,
            path: "post_processor")
        return json
    }

    /// The `model` section; the other sections are filled in by `parse`.
    private static func parseModel(_ model: JSONValue, reader: JSONReader) throws(TokenizerError) -> TokenizerJSON {
        let type = model["type"]?.stringValue
        let only = "only BPE tokenizers are (byte-level, or SentencePiece-style with byte fallback)"
        switch type {
        case "BPE":
            break
        case let type? where ["Unigram", "WordPiece", "WordLevel"].contains(type):
            throw .unsupported(reader.file, "model type \"\(type)\": \(type) tokenizers are not supported; \(only)")
        case let type?:
            throw .unsupported(reader.file, "model type \"\(type)\" is not supported; \(only)")
        case nil:
            // Files from old versions of `tokenizers` have no type; a Unigram vocabulary is a list of pairs.
            if model["vocab"]?.arrayValue != nil {
                let problem = "model (no \"type\", a list vocabulary): Unigram tokenizers are not supported"
                throw .unsupported(reader.file, "\(problem); \(only)")
            }
            if model["merges"] == nil {
                throw .unsupported(reader.file, "model has no \"type\" and no \"merges\"; \(only)")
            }
        }
        guard let vocabValue = model["vocab"] else { throw .invalidJSON(reader.file, "model has no \"vocab\"") }
        let vocabulary = try reader.vocabulary(vocabValue, path: "model.vocab")
        let merges = try reader.merges(model["merges"] ?? .array([]), path: "model.merges")
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key]?.stringValue, !value.isEmpty {
                throw .unsupported(reader.file, "model.\(key) \"\(value)\" is not supported")
            }
        }
        if let dropout = model["dropout"], !dropout.isNull, dropout.doubleValue != 0 {
            throw .unsupported(
                reader.file, "model.dropout \(dropout.summary) is not supported (only null: encoding would be random)")
        }
        if let unknown = model["unk_token"], !unknown.isNull, unknown.stringValue == nil {
            throw .invalidJSON(reader.file, "model.unk_token: expected a string or null, found \(unknown.summary)")
        }
        return TokenizerJSON(
            vocabulary: vocabulary, merges: merges,
            ignoreMerges: try reader.bool(model, "ignore_merges", path: "model", default: false),
            unknownToken: model["unk_token"]?.stringValue,
            byteFallback: try reader.bool(model, "byte_fallback", path: "model", default: false),
            fuseUnknown: try reader.bool(model, "fuse_unk", path: "model", default: false),
            addedTokens: [], normalizer: .none, preTokenizer: PreTokenizer(steps: []), postProcessor: nil,
            decoder: nil)
    }
}
