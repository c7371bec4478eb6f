import Foundation

/// A SentencePiece-style BPE tokenizer read from an HF `tokenizer.json` (Llama 2, TinyLlama, Mistral, Gemma),
/// producing exactly the ids of Hugging Face `tokenizers`, with transformers' special-token handling.
///
/// The vocabulary holds `▁`-pieces (U+2581 stands for a space) and the byte tokens `<0x00>` … `<0xFF>`. Spaces
/// become `▁` in the normalizer (Llama 2, Gemma: `Replace`, Llama 2 also a `Prepend("▁")`) or in a `Metaspace`
/// pre-tokenizer (Mistral). Encoding runs `EncodingPipeline` with `SentencePieceBPEModel`, which merges from
/// characters and falls back to byte tokens; decoding runs the file's decoder chain (`TokenDecoder`).
///
/// The pipeline is the file's, as HF `tokenizers` (and SentencePiece and llama.cpp) run it. transformers 5's
/// `LlamaTokenizer` class instead rebuilds it as Metaspace(prepend_scheme "first"), which differs from the legacy
/// Llama 2 layout for leading spaces and text after special tokens (`docs/models.md` §6.4).
///
/// This is the tokenizer.json form. GGUF files with `tokenizer.ggml.model = "llama"` store scores instead of merges
/// and are read by `SentencePieceTokenizer`, which follows llama.cpp.
public struct SentencePieceBPETokenizer: Tokenizer {
    private let model: SentencePieceBPEModel
    private let pipeline: EncodingPipeline
    private let decoder: TokenDecoder
    /// The string of each id as HF has it, nil for ids with no token: the vocabulary piece, or the added token's
    /// content (normalized for `normalized: true` tokens, so Llama 2's `<sep>` is `▁<sep>` and decodes to " <sep>").
    private let tokenStrings: [String?]
    /// Added token ids by content, for `tokenID(for:)`.
    private let addedTokenIDs: [String: Int]
    /// Vocabulary ids by the UTF-8 of their pieces.
    private let pieceIDs: [ByteString: Int]

    public let vocabularySize: Int
    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    public let unkTokenID: Int?

    /// Loads a tokenizer from the contents of `tokenizer.json` and, optionally, `tokenizer_config.json`.
    public init(tokenizerJSON: Data, config: Data? = nil) throws(TokenizerError) {
        try self.init(
            tokenizerJSON: tokenizerJSON, config: config,
            tokenizerFile: "tokenizer.json", configFile: "tokenizer_config.json")
    }

    init(tokenizerJSON: Data, config: Data?, tokenizerFile: String, configFile: String) throws(TokenizerError) {
        let components = try TokenizerComponents.load(
            tokenizerJSON: tokenizerJSON, config: config, tokenizerFile: tokenizerFile, configFile: configFile)
        try self.init(components: components, file: tokenizerFile)
    }

    /// Builds the tokenizer; `file` names the source in errors.
    init(components: TokenizerComponents, file: String) throws(TokenizerError) {
        guard let decoder = components.decoder else {
            throw .unsupported(
                file,
                "this is a byte-level BPE tokenizer (ByteLevel pre-tokenizer), not SentencePiece-style: "
                    + "load it with TokenizerLoader or ByteLevelBPETokenizer")
        }
        var pieceIDs: [ByteString: Int] = [:]
        pieceIDs.reserveCapacity(components.vocabulary.count)
        for (token, id) in components.vocabulary {
            pieceIDs[ByteString(Array(token.utf8))] = id
        }
        let mergePairs = try components.mergePairs(file: file) { pieceIDs[ByteString(Array($0.utf8))] }
        var unknownID: Int?
        if let unknownToken = components.unknownToken {
            guard let id = pieceIDs[ByteString(Array(unknownToken.utf8))] else {
                throw .invalidVocabulary(file, "model.unk_token \"\(unknownToken)\" is not in the vocabulary")
            }
            unknownID = id
        }
        model = SentencePieceBPEModel(
            pieceIDs: pieceIDs, mergePairs: mergePairs, byteFallback: components.byteFallback,
            unknownID: unknownID, fusesUnknown: components.fuseUnknown, ignoresMerges: components.ignoreMerges)
        vocabularySize = try components.checkedVocabularySize(file: file)
        var strings = [String?](repeating: nil, count: vocabularySize)
        for (token, id) in components.vocabulary {
            strings[id] = token
        }
        var addedIDs: [String: Int] = [:]
        for token in components.addedTokens {
            strings[token.id] = token.normalized ? components.normalizer.normalize(token.content) : token.content
            addedIDs[token.content] = token.id
        }
        tokenStrings = strings
        addedTokenIDs = addedIDs
        self.pieceIDs = pieceIDs
        self.decoder = decoder
        bosTokenID = components.bosTokenID
        eosTokenID = components.eosTokenID
        padTokenID = components.padTokenID
        unkTokenID = components.unkTokenID
        pipeline = EncodingPipeline(components)
    }

    // MARK: Encoding

    public func encode(_ text: String) throws -> [Int] {
        pipeline.encode(text, model: model)
    }

    /// The pre-tokens of `text` (between added tokens, after normalization, `▁` for spaces), for inspection.
    public func preTokenize(_ text: String) -> [String] {
        pipeline.preTokenize(text)
    }

    /// The id of a token given by its content (added token) or its vocabulary piece (e.g. `"▁the"`, `"<0x0A>"`).
    public func tokenID(for token: String) -> Int? {
        addedTokenIDs[token] ?? pieceIDs[ByteString(Array(token.utf8))]
    }

    // MARK: Decoding

    public func decode(_ ids: [Int]) -> String {
        decoder.decode(ids.map { tokenString($0) ?? Self.unknownMarker($0) })
    }

    /// The token with `▁` as a space and a byte token as its byte, made visible by `TokenDisplay` (so `"▁the"` →
    /// `"␣the"`, `"<0x0A>"` → `"↵"`, `"<0xE2>"` → `"<0xE2>"`, `"<s>"` → `"<s>"`).
    public func displayString(for id: Int) -> String {
        guard let token = tokenString(id) else { return Self.unknownMarker(id) }
        return TokenDisplay.render(bytes: decoder.displayBytes(of: token))
    }

    private func tokenString(_ id: Int) -> String? {
        guard id >= 0, id < tokenStrings.count else { return nil }
        return tokenStrings[id]
    }

    private static func unknownMarker(_ id: Int) -> String {
        "<unk id \(id)>"
    }
}
