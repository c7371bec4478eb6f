/// An error loading or building a tokenizer, with a message that names the file and what is wrong.
public struct TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad category of a tokenizer error, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// A required file does not exist or cannot be read.
        case missingFile
        /// A file is not valid JSON, or its JSON does not have the expected shape.
        case invalidJSON
        /// The file describes a tokenizer feature this implementation does not support.
        case unsupported
        /// A Split pre-tokenizer uses a regex that is not one of the known patterns.
        case unknownPreTokenizerPattern
        /// The vocabulary or the merges are inconsistent (e.g. a merge part missing from the vocabulary).
        case invalidVocabulary
        /// A token id is negative or outside the vocabulary.
        case idOutOfRange
    }

    /// The category of the error.
    public let kind: Kind
    /// A human-readable explanation naming the file and the problem.
    public let message: String

    /// Creates an error of the given kind with a complete message.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func missingFile(_ path: String, _ detail: String = "") -> TokenizerError {
        TokenizerError(.missingFile, "\(path): file not found\(detail.isEmpty ? "" : " (\(detail))")")
    }

    static func invalidJSON(_ file: String, _ detail: String) -> TokenizerError {
        TokenizerError(.invalidJSON, "\(file): \(detail)")
    }

    static func unsupported(_ file: String, _ detail: String) -> TokenizerError {
        TokenizerError(.unsupported, "\(file): \(detail)")
    }

    static func invalidVocabulary(_ file: String, _ detail: String) -> TokenizerError {
        TokenizerError(.invalidVocabulary, "\(file): \(detail)")
    }

    static func idOutOfRange(_ file: String, _ detail: String) -> TokenizerError {
        TokenizerError(.idOutOfRange, "\(file): \(detail)")
    }
}
