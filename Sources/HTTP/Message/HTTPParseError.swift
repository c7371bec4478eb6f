/// A request the server cannot accept, with the status and JSON error code it is answered with.
///
/// Thrown by `HTTPRequestParser` and `HTTPRequest.init`. The connection is closed after answering one of these,
/// because the framing of whatever follows can't be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// The `error.code` of the JSON body (`HTTPStatus.errorCode(status)`).
    public var code: String { HTTPStatus.errorCode(status) }

    /// The JSON error response for this error.
    public var response: HTTPResponse { .error(status, code: code, message: message) }

    public var description: String { "\(status) \(code): \(message)" }

    static func badRequest(_ message: String) -> HTTPParseError { HTTPParseError(status: 400, message: message) }
}
