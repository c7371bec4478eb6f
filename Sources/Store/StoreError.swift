/// A storage failure, with SQLite's own message and what Glassbox was doing.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
