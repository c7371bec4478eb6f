/// A problem loading or running a model, in words a user can act on.
public struct TransformerError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
