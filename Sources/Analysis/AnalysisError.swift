/// A request an analysis cannot answer (a layer, token, head or threshold out of range), in words a user can act on.
public struct AnalysisError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Throws unless `value` is in `0..<count`, naming what it indexes.
    static func check(_ value: Int, below count: Int, _ what: String) throws {
        guard value >= 0 && value < count else {
            throw AnalysisError("\(what) \(value) is out of range: the run has \(what)s 0 to \(count - 1)")
        }
    }
}
