/// A checkpoint series that cannot be measured, in words a user can act on.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// Fewer than two checkpoints: nothing to follow.
    case tooFewCheckpoints(Int)
    /// A checkpoint whose shape (layers × heads) differs from the first one's.
    case shapeMismatch(checkpoint: String, layers: Int, heads: Int, first: String, firstLayers: Int, firstHeads: Int)
    /// A checkpoint of another architecture (family) than the first one's, e.g. a Llama among GPT-2 checkpoints.
    case architectureMismatch(checkpoint: String, architecture: String, first: String, firstArchitecture: String)
    /// An empty prompt set.
    case noPrompts
    /// A prompt of fewer than two tokens under a checkpoint's tokenizer (`prompt` counts from 1).
    case promptTooShort(prompt: Int, tokens: Int, checkpoint: String)

    public var description: String {
        switch self {
        case .tooFewCheckpoints(let count):
            return "a checkpoint series needs at least 2 checkpoints in training order, got \(count)"
        case .shapeMismatch(let name, let layers, let heads, let first, let firstLayers, let firstHeads):
            return "checkpoint \"\(name)\" has \(layers) layers × \(heads) heads, but \"\(first)\" has "
                + "\(firstLayers) layers × \(firstHeads) heads: every checkpoint of a series must be the same "
                + "architecture"
        case .architectureMismatch(let name, let architecture, let first, let firstArchitecture):
            return "checkpoint \"\(name)\" is a \(architecture) model, but \"\(first)\" is a \(firstArchitecture) "
                + "model: every checkpoint of a series must be the same architecture"
        case .noPrompts:
            return "the prompt set is empty: give at least one prompt"
        case .promptTooShort(let prompt, let tokens, let checkpoint):
            return "prompt \(prompt) has \(tokens) token\(tokens == 1 ? "" : "s") under checkpoint \"\(checkpoint)\": "
                + "a prompt needs at least 2 tokens to have a next-token loss"
        }
    }
}
