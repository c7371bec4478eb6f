/// A token matched whole in the input before pre-tokenization (HF `added_tokens`), e.g. `<|endoftext|>`.
public struct AddedToken: Sendable, Equatable {
    /// The token id.
    public var id: Int
    /// The exact text the token stands for.
    public var content: String
    /// Match only when not adjacent to word characters on either side.
    public var singleWord: Bool
    /// Absorb whitespace immediately to the left of a match.
    public var lstrip: Bool
    /// Absorb whitespace immediately to the right of a match.
    public var rstrip: Bool
    /// Match against the normalized text (true) or the raw input (false).
    public var normalized: Bool
    /// A special (control) token such as BOS/EOS.
    public var special: Bool

    /// Creates an added token; the defaults are those of a special token.
    public init(
        id: Int, content: String, singleWord: Bool = false, lstrip: Bool = false, rstrip: Bool = false,
        normalized: Bool = false, special: Bool = true
    ) {
        self.id = id
        self.content = content
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.normalized = normalized
        self.special = special
    }
}
