/// A request an evaluation cannot answer, naming the field at fault (`methods`, `variant`, `sigma`, …) so that an
/// API can answer 400 with it and the CLI can name its option.
public struct EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The request field (the API's name; the CLI's option is `--` and the same name).
    public let field: String
    /// What is wrong and what to do, in words.
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
