import Tokenizers

/// How a user names a token to explain: `top` (the run's own top-1 next token), an id, or a text that encodes to
/// exactly one token (a leading BOS the tokenizer adds is not counted). The CLI's `--target`/`--contrast` and the
/// API's `target`/`contrast` parameters read the same spellings.
public enum TargetTokenSpec: Sendable, Equatable {
    case top
    case id(Int)
    case text(String)

    /// `"top"`, a decimal id, or anything else as text.
    public init(_ spelling: String) {
        if spelling == "top" {
            self = .top
        } else if let id = Int(spelling) {
            self = .id(id)
        } else {
            self = .text(spelling)
        }
    }

    /// The token id: `top` is the largest of `logits` (lowest id on ties); ids must be inside the vocabulary.
    public func resolve(tokenizer: any Tokenizer, vocabSize: Int, logits: () throws -> ArraySlice<Float>) throws
        -> Int
    {
        switch self {
        case .top:
            let row = try logits()
            var best = row.startIndex
            for i in row.indices where row[i] > row[best] { best = i }
            return best - row.startIndex
        case .id(let id):
            guard id >= 0 && id < vocabSize else {
                throw TransformerError("token id \(id) is outside the vocabulary (0..<\(vocabSize))")
            }
            return id
        case .text(let text):
            var ids = try tokenizer.encode(text)
            if ids.count > 1, let bos = tokenizer.bosTokenID, ids.first == bos { ids.removeFirst() }
            guard ids.count == 1 else {
                throw TransformerError(
                    "\"\(text)\" encodes to \(ids.count) tokens (\(ids)); name one token, by its text or its id")
            }
            return ids[0]
        }
    }
}
