/// A JSON document that does not have the shape its reader expects: where (the source and the key path) and what
/// is wrong, e.g. `config.json: key "text_config.n_layer" must be an integer, found "twelve"`.
public struct JSONReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or "body") the JSON came from.
    public let source: String
    /// The keys from the top-level object down to the offending value; empty for the document itself.
    public let keyPath: [String]
    /// What is wrong, e.g. `must be an integer, found "twelve"`.
    public let problem: String
    /// The parser's error when the bytes are not JSON at all (then `problem` is its description).
    public let syntax: JSONSyntaxError?

    public init(source: String, keyPath: [String], problem: String) {
        self.source = source
        self.keyPath = keyPath
        self.problem = problem
        syntax = nil
    }

    /// The bytes of `source` are not JSON.
    public init(source: String, syntax: JSONSyntaxError) {
        self.source = source
        keyPath = []
        problem = syntax.description
        self.syntax = syntax
    }

    /// The key path joined with dots (`text_config.n_layer`); empty for the document itself.
    public var key: String { keyPath.joined(separator: ".") }

    public var description: String {
        keyPath.isEmpty ? "\(source): \(problem)" : "\(source): key \"\(key)\" \(problem)"
    }
}
