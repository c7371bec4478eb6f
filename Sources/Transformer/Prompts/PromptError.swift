/// Why a prompt cannot be run: the one error type of `PromptRunner`, whatever calls it (the API maps `tooLong` to
/// 413 and the others to 400 on the prompt; reports and comparisons name the prompt; the CLI prints the message).
public enum PromptError: Error, CustomStringConvertible, Equatable {
    /// The tokenizer refused the text (`message` says why).
    case unencodable(String)
    /// The text encodes to no tokens.
    case empty
    /// More tokens than the limit: `min(the caller's limit, the model's context)`.
    case tooLong(tokens: Int, limit: Int)

    public var description: String {
        switch self {
        case .unencodable(let message): return "the prompt cannot be tokenized: \(message)"
        case .empty: return "the prompt encodes to no tokens"
        case .tooLong(let tokens, let limit):
            return "the prompt has \(tokens) tokens, more than the limit of \(limit) (the server's limit and the "
                + "model's context)"
        }
    }
}
