/// Everything needed to build a `ByteLevelBPETokenizer` or a `SentencePieceBPETokenizer`, gathered from tokenizer
/// files.
struct TokenizerComponents {
    var vocabulary: [(token: String, id: Int)]
    var merges: [(String, String)]
    var ignoreMerges = false
    var unknownToken: String?
    var byteFallback = false
    var fuseUnknown = false
    /// The decoder chain of a SentencePiece-style tokenizer; nil for byte-level BPE.
    var decoder: TokenDecoder?
    var addedTokens: [AddedToken] = []
    var normalizer: TextNormalizer = .none
    var preTokenizer: PreTokenizer
    var template = SpecialTokenTemplate()
    var bosTokenID: Int?
    var eosTokenID: Int?
    var padTokenID: Int?
    var unkTokenID: Int?

    /// Components from a parsed tokenizer.json, before any tokenizer_config.json is applied.
    init(_ json: TokenizerJSON) {
        vocabulary = json.vocabulary
        merges = json.merges
        ignoreMerges = json.ignoreMerges
        unknownToken = json.unknownToken
        byteFallback = json.byteFallback
        fuseUnknown = json.fuseUnknown
        decoder = json.decoder
        addedTokens = json.addedTokens
        normalizer = json.normalizer
        preTokenizer = json.preTokenizer
        template = json.postProcessor ?? SpecialTokenTemplate()
    }

    init(vocabulary: [(token: String, id: Int)], merges: [(String, String)], preTokenizer: PreTokenizer) {
        self.vocabulary = vocabulary
        self.merges = merges
        self.preTokenizer = preTokenizer
    }

    /// The id of `content` as an added token or, failing that, in the model vocabulary.
    func id(of content: String) -> Int? {
        if let token = addedTokens.last(where: { $0.content == content }) { return token.id }
        return vocabulary.first(where: { $0.token == content })?.id
    }

    /// Applies tokenizer_config.json as transformers (v5) does when it loads a tokenizer: registers
    /// `added_tokens_decoder` entries and named special tokens missing from the added tokens, and
    /// resolves BOS/EOS.
    ///
    /// With a tokenizer.json (`fromTokenizerJSON`), transformers drops the
    /// config's `add_bos_token`/`add_eos_token` and keeps the file's post-processor. Without one (vocab.json
    /// + merges.txt), the template is built from those flags (both default to false).
    mutating func apply(_ config: TokenizerConfig, fromTokenizerJSON: Bool) {
        // Tokens are added as transformers does it: `added_tokens_decoder` in id order, then the named
        // special tokens; a token already in the vocabulary keeps its id, others get the next free id
        // (the id written in `added_tokens_decoder` is not used).
        // Lookups by content are dictionaries (a config can list tens of thousands of tokens): added tokens win
        // over the vocabulary, the last added token with a content wins, the first vocabulary entry wins.
        var addedIDs: [String: Int] = [:]
        for token in addedTokens { addedIDs[token.content] = token.id }
        var vocabularyIDs: [String: Int] = [:]
        for entry in vocabulary where vocabularyIDs[entry.token] == nil { vocabularyIDs[entry.token] = entry.id }
        var maxAdded = addedTokens.map(\.id).max()
        for var token in config.addedTokens.sorted(by: { $0.id < $1.id }) + config.namedSpecialTokens
        where addedIDs[token.content] == nil {
            let free = maxAdded.map { $0 >= vocabulary.count ? $0 + 1 : vocabulary.count } ?? vocabulary.count
            token.id = vocabularyIDs[token.content] ?? free
            addedTokens.append(token)
            addedIDs[token.content] = token.id
            maxAdded = max(maxAdded ?? token.id, token.id)
        }
        func resolve(_ setting: TokenizerConfig.SpecialToken) -> Int? {
            if case .token(let token) = setting { return addedIDs[token.content] ?? vocabularyIDs[token.content] }
            return nil
        }
        bosTokenID = resolve(config.bosToken)
        eosTokenID = resolve(config.eosToken)
        padTokenID = resolve(config.padToken)
        unkTokenID = resolve(config.unkToken) ?? unknownToken.flatMap(id(of:))
        if !fromTokenizerJSON {
            var rebuilt = SpecialTokenTemplate()
            if config.addBOSToken == true, let bosTokenID { rebuilt.prefix = [bosTokenID] }
            if config.addEOSToken == true, let eosTokenID { rebuilt.suffix = [eosTokenID] }
            template = rebuilt
        }
    }

    /// Without a config, guesses BOS/EOS: BOS is the template's first prefix token or a well-known
    /// BOS name; EOS is a well-known end-of-text name among the added tokens.
    mutating func guessSpecialTokens() {
        let addedContents = Set(addedTokens.map(\.content))
        bosTokenID =
            template.prefix.first
            ?? ["<|begin_of_text|>", "<s>", "<|endoftext|>"].first(where: addedContents.contains).flatMap(id(of:))
        eosTokenID = ["<|end_of_text|>", "<|endoftext|>", "</s>", "<|im_end|>"]
            .first(where: addedContents.contains).flatMap(id(of:))
        unkTokenID = unknownToken.flatMap(id(of:))
    }
}
