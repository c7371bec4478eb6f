import Tokenizers
import Transformer

/// One checkpoint of a series: its name and how to load it. The builder loads one checkpoint at a time and lets it go
/// before the next, so a series of large checkpoints needs the memory of one.
public struct CheckpointSource: Sendable {
    /// How the checkpoint appears in the report (a configured model's name, or a directory's or file's name).
    public let name: String
    public let load: @Sendable () throws -> (model: DecoderModel, tokenizer: any Tokenizer)

    public init(name: String, load: @escaping @Sendable () throws -> (model: DecoderModel, tokenizer: any Tokenizer)) {
        self.name = name
        self.load = load
    }
}
