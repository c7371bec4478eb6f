/// A problem with a model file: which file, and what is wrong with it, in words a user can act on.
public struct ModelFormatError: Error, CustomStringConvertible, Equatable {
    /// The file (or directory) concerned.
    public let path: String
    /// What is wrong.
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
