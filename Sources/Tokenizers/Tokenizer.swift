/// Converts between text and the token ids of a language model, as Hugging Face `transformers` does.
public protocol Tokenizer: Sendable {
    /// Token ids as transformers' `tokenizer(text)["input_ids"]` gives them (BOS included when configured).
    func encode(_ text: String) throws -> [Int]
    /// Text of the ids as transformers' `decode(ids, skip_special_tokens: false)` gives it.
    func decode(_ ids: [Int]) -> String
    /// A readable form of one token for display: its text with whitespace made visible
    /// (space → "␣", "\n" → "↵", "\t" → "⇥", "\r" → "␍", other control/invisible scalars →
    /// escapes like "<U+0085>"), and bytes that are not complete UTF-8 on their own → "<0xE2>" per byte.
    func displayString(for id: Int) -> String
    /// The number of token ids (one more than the highest id).
    var vocabularySize: Int { get }
    /// The beginning-of-sequence token id, if the tokenizer has one.
    var bosTokenID: Int? { get }
    /// The end-of-sequence token id, if the tokenizer has one.
    var eosTokenID: Int? { get }
    /// The padding token id, if the tokenizer names one (`pad_token`, GGUF `tokenizer.ggml.padding_token_id`).
    var padTokenID: Int? { get }
    /// The unknown-token id, if the tokenizer names one (`unk_token`, the BPE model's `unk_token`, GGUF
    /// `tokenizer.ggml.unknown_token_id`).
    var unkTokenID: Int? { get }
}

extension Tokenizer {
    public var padTokenID: Int? { nil }
    public var unkTokenID: Int? { nil }
}
