import Foundation

/// Where the server listens and the limits that protect it from slow, large or many clients.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric address or a host name; `127.0.0.1` keeps the server on loopback.
    public var host: String = "127.0.0.1"
    /// 0 = any free port (`HTTPServer.start()` returns the one chosen).
    public var port: Int = 8080
    /// Request line plus header fields; over → 431. The request line alone over `maxRequestLineBytes` → 414.
    public var maxHeaderBytes: Int = 16_384
    /// The request line without its line end; over → 414.
    public var maxRequestLineBytes: Int = 8_192
    /// Over → 413: by `Content-Length` before reading, or while reading chunked.
    public var maxBodyBytes: Int = 1_048_576
    /// Connections beyond this are accepted and closed at once with 503 and `Retry-After`.
    public var maxConnections: Int = 1024
    /// Requests read ahead on one connection while earlier ones wait for their responses (pipelining); beyond it
    /// the server stops reading that connection until responses go out.
    public var maxPipelinedRequests: Int = 16
    /// The whole request head must arrive within this many seconds of its first byte → else 408 and close.
    public var headerTimeout: TimeInterval = 10
    /// The body must arrive within this many seconds after the head → else 408 and close.
    public var bodyTimeout: TimeInterval = 30
    /// A keep-alive connection with nothing to do, or a client not reading its response, is closed after this.
    public var idleTimeout: TimeInterval = 60
    /// Called with one line per response: `method target status bodyBytes milliseconds` (`-` for an unparsed
    /// method or target). Runs on a connection's queue: keep it quick.
    public var accessLog: (@Sendable (String) -> Void)? = nil
    /// Header fields sent on every response that does not set them itself, the server's own error answers (400,
    /// 408, 413, 503, …) included: security headers, for one.
    public var defaultHeaders: [(name: String, value: String)] = []

    public init() {}
}

/// A failure to start the server (resolving the host, creating, binding or listening on the socket).
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    /// The error for the failed system call `call`, with the text of the current `errno`.
    static func system(_ call: String, _ context: String) -> HTTPServerError {
        HTTPServerError("\(call) failed for \(context): \(String(cString: strerror(errno)))")
    }

    public var description: String { message }
}
