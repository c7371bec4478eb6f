import Tokenizers
import Transformer

/// A loaded model and its tokenizer under the name the user gave it (a configured name or a path): the second model
/// of an explanation's disagreement and the baselines of `glassbox check`.
public struct NamedModel: Sendable {
    public let name: String
    public let model: DecoderModel
    public let tokenizer: any Tokenizer

    public init(name: String, model: DecoderModel, tokenizer: any Tokenizer) {
        self.name = name
        self.model = model
        self.tokenizer = tokenizer
    }
}
