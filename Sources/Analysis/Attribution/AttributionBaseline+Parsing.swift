extension AttributionBaseline {
    /// The spellings the CLI's `--baseline` and the API's `baseline` accept: `zero`, `pad` or `unk` (the tokenizer's
    /// padding and unknown tokens, when it names them) or a token id inside the vocabulary.
    public init(parsing text: String, vocabSize: Int, padTokenID: Int?, unkTokenID: Int?) throws {
        switch text {
        case "zero":
            self = .zero
        case "pad", "unk":
            guard let id = text == "pad" ? padTokenID : unkTokenID else {
                throw AnalysisError(
                    "the model's tokenizer names no \(text) token: use zero or a token id")
            }
            self = .token(id)
        default:
            guard let id = Int(text) else {
                throw AnalysisError("must be zero, pad, unk or a token id, got \"\(text)\"")
            }
            guard id >= 0 && id < vocabSize else {
                throw AnalysisError("token \(id) is outside the vocabulary (0..<\(vocabSize))")
            }
            self = .token(id)
        }
    }
}
