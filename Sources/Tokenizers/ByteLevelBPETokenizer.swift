import Foundation

/// A byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2, SmolLM families) producing exactly the ids of
/// Hugging Face `transformers`.
///
/// Encoding runs `EncodingPipeline` (added tokens, normalizer, pre-tokenizer, post-processor) with each
/// pre-token's UTF-8 bytes BPE-merged by `BPEMerger`.
public struct ByteLevelBPETokenizer: Tokenizer {
    private let merger: BPEMerger
    private let pipeline: EncodingPipeline
    /// The bytes each id decodes to, nil for ids with no token.
    private let tokenBytes: [[UInt8]?]
    /// Added token contents by id, shown as they are by `displayString`.
    private let addedTokenContents: [Int: String]
    /// Model vocabulary ids by token string (byte-level form), for `tokenID(for:)`.
    private let vocabularyIndex: VocabularyIndex

    public let vocabularySize: Int
    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    public let unkTokenID: Int?

    /// Builds a tokenizer from in-memory parts, e.g. read from a GGUF file.
    ///
    /// - Parameters:
    ///   - vocabulary: token strings in byte-level form; the index is the id.
    ///   - merges: merge pairs in rank order.
    ///   - kind: the pre-tokenization scheme.
    ///   - addedTokens: tokens matched whole before pre-tokenization (control and user-defined tokens).
    ///   - addsBOS: whether `encode` puts `bosTokenID` first.
    ///   - ignoreMerges: emit a pre-token found whole in the vocabulary directly (default: true for Llama 3).
    ///   - normalizer: the text normalization (default: NFC for Qwen2, none otherwise).
    public init(
        vocabulary: [String], merges: [(String, String)], kind: PreTokenizerKind,
        addedTokens: [AddedToken] = [], bosTokenID: Int? = nil, eosTokenID: Int? = nil,
        padTokenID: Int? = nil, unkTokenID: Int? = nil, addsBOS: Bool = false, ignoreMerges: Bool? = nil,
        normalizer: TextNormalizer? = nil
    )
        throws(TokenizerError)
    {
        // A repeated token string keeps every id for decoding; encoding uses the last one (as llama.cpp does).
        let entries = vocabulary.enumerated().map { (token: $0.element, id: $0.offset) }
        var components = TokenizerComponents(
            vocabulary: entries, merges: merges,
            preTokenizer: PreTokenizer(kind: kind))
        components.ignoreMerges = ignoreMerges ?? (kind == .llama3)
        components.normalizer = normalizer ?? (kind == .qwen2 ? .nfc : .none)
        components.addedTokens = addedTokens
        components.bosTokenID = bosTokenID
        components.eosTokenID = eosTokenID
        components.padTokenID = padTokenID
        components.unkTokenID = unkTokenID
        if addsBOS {
            guard let bosTokenID else {
                throw TokenizerError(.idOutOfRange, "vocabulary: addsBOS is true but bosTokenID is nil")
            }
            components.template.prefix = [bosTokenID]
        }
        try self.init(components: components, file: "vocabulary")
    }

    /// Builds the tokenizer; `file` names the vocabulary's source and `mergesFile` the merges' in errors.
    init(components: TokenizerComponents, file: String, mergesFile: String? = nil) throws(TokenizerError) {
        guard components.decoder == nil else {
            throw .unsupported(
                file,
                "this is a SentencePiece-style tokenizer (no ByteLevel pre-tokenizer), not byte-level BPE: "
                    + "load it with TokenizerLoader or SentencePieceBPETokenizer")
        }
        let index = VocabularyIndex(components.vocabulary)
        let mergePairs = try components.mergePairs(file: mergesFile ?? file) { index.id(of: $0) }
        merger = BPEMerger(
            tokenIDsByBytes: index.byteLevelIDs, mergePairs: mergePairs,
            ignoreMerges: components.ignoreMerges, unknownID: components.unknownToken.flatMap { index.id(of: $0) })
        vocabularySize = try components.checkedVocabularySize(file: file)
        var bytesByID = [[UInt8]?](repeating: nil, count: vocabularySize)
        for (token, id) in components.vocabulary {
            bytesByID[id] = ByteEncoder.decoderBytes(for: token)
        }
        var contents: [Int: String] = [:]
        for token in components.addedTokens {
            // HF keeps a `normalized: true` token as its normalized content, and decodes that.
            let text = token.normalized ? components.normalizer.normalize(token.content) : token.content
            bytesByID[token.id] = ByteEncoder.decoderBytes(for: text)
            contents[token.id] = token.content
        }
        tokenBytes = bytesByID
        addedTokenContents = contents
        vocabularyIndex = index
        bosTokenID = components.bosTokenID
        eosTokenID = components.eosTokenID
        padTokenID = components.padTokenID
        unkTokenID = components.unkTokenID
        pipeline = EncodingPipeline(components)
    }

    // MARK: Encoding

    public func encode(_ text: String) throws -> [Int] {
        pipeline.encode(text, model: merger)
    }

    /// The pre-tokens of `text` (between added tokens, after normalization), for inspection.
    public func preTokenize(_ text: String) -> [String] {
        pipeline.preTokenize(text)
    }

    /// The id of a token given by its content (added token) or its byte-level vocabulary string.
    public func tokenID(for token: String) -> Int? {
        if let id = addedTokenContents.first(where: { $0.value == token })?.key { return id }
        return vocabularyIndex.id(of: token)
    }

    // MARK: Decoding

    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            if let tokenBytes = bytesOfToken(id) {
                bytes += tokenBytes
            } else {
                bytes += Array(Self.unknownMarker(id).utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func displayString(for id: Int) -> String {
        if let content = addedTokenContents[id] {
            return TokenDisplay.render(text: content)
        }
        guard let bytes = bytesOfToken(id) else { return Self.unknownMarker(id) }
        return TokenDisplay.render(bytes: bytes)
    }

    private func bytesOfToken(_ id: Int) -> [UInt8]? {
        guard id >= 0, id < tokenBytes.count else { return nil }
        return tokenBytes[id]
    }

    private static func unknownMarker(_ id: Int) -> String {
        "<unk id \(id)>"
    }
}
