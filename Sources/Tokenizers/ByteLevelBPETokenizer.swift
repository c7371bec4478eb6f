import Foundation

/// A byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2, SmolLM families) producing exactly the ids of
/// Hugging Face `transformers`.
///
/// Encoding: added tokens are cut out of the raw text first, the text between them is normalized,
/// pre-tokenized, and each pre-token's UTF-8 bytes are BPE-merged; the post-processor's tokens
/// (e.g. BOS) are then placed around the result.
public struct ByteLevelBPETokenizer: Tokenizer {
    private let merger: BPEMerger
    private let preTokenizer: PreTokenizer
    private let normalizer: TextNormalizer
    /// Added tokens matched on the raw text (`normalized: false`).
    private let rawTokenMatcher: AddedTokenMatcher
    /// Added tokens matched on the normalized text (`normalized: true`).
    private let normalizedTokenMatcher: AddedTokenMatcher
    private let template: SpecialTokenTemplate
    /// The bytes each id decodes to, nil for ids with no token.
    private let tokenBytes: [[UInt8]?]
    /// Added token contents by id, shown as they are by `displayString`.
    private let addedTokenContents: [Int: String]
    /// Model vocabulary ids by token string (byte-level form), for `tokenID(for:)`.
    private let vocabularyIndex: VocabularyIndex

    /// Ids at or above this are rejected: the id → bytes table is dense.
    static let idLimit = 1 << 24

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
        let index = VocabularyIndex(components.vocabulary)
        var mergePairs: [(left: Int, right: Int, result: Int)] = []
        mergePairs.reserveCapacity(components.merges.count)
        for (rank, (left, right)) in components.merges.enumerated() {
            func invalidMerge(_ problem: String) -> TokenizerError {
                .invalidVocabulary(mergesFile ?? file, "merge \(rank) (\"\(left) \(right)\"): \(problem)")
            }
            guard let leftID = index.id(of: left) else { throw invalidMerge("\"\(left)\" is not in the vocabulary") }
            guard let rightID = index.id(of: right) else { throw invalidMerge("\"\(right)\" is not in the vocabulary") }
            guard let resultID = index.id(of: left + right) else {
                throw invalidMerge("the merged token \"\(left + right)\" is not in the vocabulary")
            }
            mergePairs.append((leftID, rightID, resultID))
        }
        let unknownID = components.unknownToken.flatMap { index.id(of: $0) }
        merger = BPEMerger(
            tokenIDsByBytes: index.byteLevelIDs, mergePairs: mergePairs,
            ignoreMerges: components.ignoreMerges, unknownID: unknownID)

        let maxID = max(components.vocabulary.map(\.id).max() ?? -1, components.addedTokens.map(\.id).max() ?? -1)
        guard maxID < Self.idLimit else {
            throw .idOutOfRange(file, "token id \(maxID) is too large (ids must be below \(Self.idLimit))")
        }
        vocabularySize = maxID + 1
        var bytesByID = [[UInt8]?](repeating: nil, count: vocabularySize)
        for (token, id) in components.vocabulary {
            bytesByID[id] = ByteEncoder.decoderBytes(for: token)
        }
        var contents: [Int: String] = [:]
        for token in components.addedTokens {
            guard token.id >= 0 else {
                throw .idOutOfRange(file, "added token \"\(token.content)\" has negative id \(token.id)")
            }
            bytesByID[token.id] = ByteEncoder.decoderBytes(for: token.content)
            contents[token.id] = token.content
        }
        tokenBytes = bytesByID
        addedTokenContents = contents
        vocabularyIndex = index

        let named = [
            ("BOS", components.bosTokenID), ("EOS", components.eosTokenID), ("pad", components.padTokenID),
            ("unk", components.unkTokenID)
        ]
        for (name, id) in named {
            if let id, !(0..<vocabularySize).contains(id) {
                throw .idOutOfRange(file, "\(name) token id \(id) is outside the vocabulary (0..<\(vocabularySize))")
            }
        }
        for id in components.template.prefix + components.template.suffix where !(0..<vocabularySize).contains(id) {
            throw .idOutOfRange(file, "post-processor token id \(id) is outside the vocabulary (0..<\(vocabularySize))")
        }
        bosTokenID = components.bosTokenID
        eosTokenID = components.eosTokenID
        padTokenID = components.padTokenID
        unkTokenID = components.unkTokenID
        template = components.template
        normalizer = components.normalizer
        preTokenizer = components.preTokenizer
        let normalizer = components.normalizer
        rawTokenMatcher = AddedTokenMatcher(tokens: components.addedTokens.filter { !$0.normalized })
        normalizedTokenMatcher = AddedTokenMatcher(tokens: components.addedTokens.filter(\.normalized)) {
            normalizer.normalize($0.content)
        }
    }

    // MARK: Encoding

    public func encode(_ text: String) throws -> [Int] {
        var state = EncodingState()
        state.output = template.prefix
        let bytes = Array(text.utf8)
        for segment in rawTokenMatcher.segments(of: bytes) {
            switch segment {
            case .token(let id):
                state.output.append(id)
            case .text(let range):
                let piece = String(decoding: bytes[range], as: UTF8.self)
                encodeNormalizing(normalizer.isIdentity ? piece : normalizer.normalize(piece), &state)
            }
        }
        state.output += template.suffix
        return state.output
    }

    /// Scratch buffers and the output of one `encode` call.
    private struct EncodingState {
        var output: [Int] = []
        var bytes: [UInt8] = []
        var workspace = BPEMerger.Workspace()
    }

    private func encodeNormalizing(_ text: String, _ state: inout EncodingState) {
        if normalizedTokenMatcher.isEmpty {
            encodePreTokens(text[...], &state)
            return
        }
        let bytes = Array(text.utf8)
        for segment in normalizedTokenMatcher.segments(of: bytes) {
            switch segment {
            case .token(let id):
                state.output.append(id)
            case .text(let range):
                encodePreTokens(String(decoding: bytes[range], as: UTF8.self)[...], &state)
            }
        }
    }

    private func encodePreTokens(_ text: Substring, _ state: inout EncodingState) {
        let (buffer, pieces) = preTokenizer.split(text)
        for piece in pieces {
            state.bytes.removeAll(keepingCapacity: true)
            buffer.appendUTF8(piece, to: &state.bytes)
            merger.encode(state.bytes[...], into: &state.output, workspace: &state.workspace)
        }
    }

    /// The pre-tokens of `text` (between added tokens, after normalization), for inspection.
    public func preTokenize(_ text: String) -> [String] {
        let normalized = normalizer.isIdentity ? text : normalizer.normalize(text)
        return preTokenizer.preTokenize(normalized)
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
