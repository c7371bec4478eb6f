/// A BPE model's encoding of one pre-token, given as its UTF-8 bytes, into token ids.
protocol PreTokenEncoder: Sendable {
    func encode(_ bytes: ArraySlice<UInt8>, into output: inout [Int], workspace: inout BPEMergeTable.Workspace)
}

/// The encoding steps HF `tokenizers` runs around the model, shared by the BPE tokenizers.
///
/// Added tokens are cut out of the raw text first (those with `normalized: false`); the text between them is
/// normalized, added tokens with `normalized: true` are cut out of that, the rest is pre-tokenized, and the model
/// encodes each pre-token. The post-processor's tokens (e.g. BOS) go around the result.
struct EncodingPipeline: Sendable {
    let normalizer: TextNormalizer
    let preTokenizer: PreTokenizer
    /// Added tokens matched on the raw text (`normalized: false`).
    private let rawTokenMatcher: AddedTokenMatcher
    /// Added tokens matched on the normalized text (`normalized: true`), by their normalized content.
    private let normalizedTokenMatcher: AddedTokenMatcher
    let template: SpecialTokenTemplate

    init(_ components: TokenizerComponents) {
        let normalizer = components.normalizer
        self.normalizer = normalizer
        preTokenizer = components.preTokenizer
        template = components.template
        rawTokenMatcher = AddedTokenMatcher(tokens: components.addedTokens.filter { !$0.normalized })
        normalizedTokenMatcher = AddedTokenMatcher(tokens: components.addedTokens.filter(\.normalized)) {
            normalizer.normalize($0.content)
        }
    }

    /// Scratch buffers and the output of one `encode` call.
    private struct State {
        var output: [Int] = []
        var bytes: [UInt8] = []
        var workspace = BPEMergeTable.Workspace()
    }

    /// The token ids of `text`, each pre-token encoded by `model`.
    func encode(_ text: String, model: some PreTokenEncoder) -> [Int] {
        var state = State()
        state.output = template.prefix
        let bytes = Array(text.utf8)
        for segment in rawTokenMatcher.segments(of: bytes) {
            switch segment {
            case .token(let id):
                state.output.append(id)
            case .text(let range):
                let piece = String(decoding: bytes[range], as: UTF8.self)
                let normalized = normalizer.isIdentity ? piece : normalizer.normalize(piece)
                encodeNormalized(normalized, startsInput: range.lowerBound == 0, model, &state)
            }
        }
        state.output += template.suffix
        return state.output
    }

    private func encodeNormalized(
        _ text: String, startsInput: Bool, _ model: some PreTokenEncoder, _ state: inout State
    ) {
        if normalizedTokenMatcher.isEmpty {
            encodePreTokens(text[...], startsInput: startsInput, model, &state)
            return
        }
        let bytes = Array(text.utf8)
        for segment in normalizedTokenMatcher.segments(of: bytes) {
            switch segment {
            case .token(let id):
                state.output.append(id)
            case .text(let range):
                let piece = String(decoding: bytes[range], as: UTF8.self)[...]
                encodePreTokens(piece, startsInput: startsInput && range.lowerBound == 0, model, &state)
            }
        }
    }

    private func encodePreTokens(
        _ text: Substring, startsInput: Bool, _ model: some PreTokenEncoder, _ state: inout State
    ) {
        let (buffer, pieces) = preTokenizer.split(text, startsInput: startsInput)
        for piece in pieces {
            state.bytes.removeAll(keepingCapacity: true)
            buffer.appendUTF8(piece, to: &state.bytes)
            model.encode(state.bytes[...], into: &state.output, workspace: &state.workspace)
        }
    }

    /// The pre-tokens of `text` (between added tokens, after normalization), for inspection.
    func preTokenize(_ text: String) -> [String] {
        let normalized = normalizer.isIdentity ? text : normalizer.normalize(text)
        return preTokenizer.preTokenize(normalized)
    }
}
