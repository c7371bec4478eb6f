import Foundation

/// Loading components from tokenizer.json, and the checks both BPE tokenizers run on them.
extension TokenizerComponents {
    /// Ids at or above this are rejected: the id → token tables are dense.
    static let idLimit = 1 << 24

    /// Components from `tokenizer.json` with `tokenizer_config.json` applied as transformers applies it, or, without
    /// a config, with the special tokens guessed.
    static func load(tokenizerJSON: Data, config: Data?, tokenizerFile: String, configFile: String)
        throws(TokenizerError) -> TokenizerComponents
    {
        let json = try TokenizerJSON.parse(Array(tokenizerJSON), file: tokenizerFile)
        var components = TokenizerComponents(json)
        if let config {
            components.apply(try TokenizerConfig.parse(Array(config), file: configFile), fromTokenizerJSON: true)
        } else {
            components.guessSpecialTokens()
        }
        return components
    }

    /// The merges as ids (`left` + `right` → `result`), each part looked up by `id`; `file` names the merges'
    /// source in errors.
    func mergePairs(file: String, id: (String) -> Int?) throws(TokenizerError) -> [(left: Int, right: Int, result: Int)]
    {
        var pairs: [(left: Int, right: Int, result: Int)] = []
        pairs.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            func invalidMerge(_ problem: String) -> TokenizerError {
                .invalidVocabulary(file, "merge \(rank) (\"\(left) \(right)\"): \(problem)")
            }
            guard let leftID = id(left) else { throw invalidMerge("\"\(left)\" is not in the vocabulary") }
            guard let rightID = id(right) else { throw invalidMerge("\"\(right)\" is not in the vocabulary") }
            guard let resultID = id(left + right) else {
                throw invalidMerge("the merged token \"\(left + right)\" is not in the vocabulary")
            }
            pairs.append((leftID, rightID, resultID))
        }
        return pairs
    }

    /// One more than the highest id, after checking that every id (vocabulary, added tokens, named special tokens,
    /// post-processor) is in range.
    func checkedVocabularySize(file: String) throws(TokenizerError) -> Int {
        let maxID = max(vocabulary.map(\.id).max() ?? -1, addedTokens.map(\.id).max() ?? -1)
        guard maxID < Self.idLimit else {
            throw .idOutOfRange(file, "token id \(maxID) is too large (ids must be below \(Self.idLimit))")
        }
        let size = maxID + 1
        for token in addedTokens where token.id < 0 {
            throw .idOutOfRange(file, "added token \"\(token.content)\" has negative id \(token.id)")
        }
        let named = [("BOS", bosTokenID), ("EOS", eosTokenID), ("pad", padTokenID), ("unk", unkTokenID)]
        for (name, id) in named {
            if let id, !(0..<size).contains(id) {
                throw .idOutOfRange(file, "\(name) token id \(id) is outside the vocabulary (0..<\(size))")
            }
        }
        for id in template.prefix + template.suffix where !(0..<size).contains(id) {
            throw .idOutOfRange(file, "post-processor token id \(id) is outside the vocabulary (0..<\(size))")
        }
        return size
    }
}
