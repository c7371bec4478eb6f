import Foundation
import JSON

/// A response from a handler. The server adds `Content-Length`, `Date`, `Server` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The whole body. For a `HEAD` request the server sends the headers only; a handler that doesn't want to build
    /// the body for `HEAD` may leave it empty and set `Content-Length` itself.
    public var body: Data
    /// A body written while it is produced (`streaming`): then `body` is not sent, and the head carries
    /// `Transfer-Encoding: chunked` instead of `Content-Length`.
    public var stream: ResponseStream?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = nil
    }

    /// A response whose body is whatever the handler sends on `stream` until it finishes it.
    public static func streaming(_ status: Int = 200, contentType: String, stream: ResponseStream) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", contentType)]))
        response.stream = stream
        return response
    }

    /// A response with `Content-Type: application/json` and the given (already encoded) body.
    public static func json(_ status: Int = 200, _ body: Data) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
    }

    /// The JSON error body `{"error": {"code": code, "message": message, "details": details}}` (`details` omitted
    /// when nil, its keys sorted) with `Content-Type: application/json`.
    public static func error(_ status: Int, code: String, message: String, details: [String: String]? = nil)
        -> HTTPResponse
    {
        var w = JSONWriter()
        w.object { o in
            o.field("error") { w in
                w.object { e in
                    e.field("code", code)
                    e.field("message", message)
                    if let details {
                        e.field("details") { w in
                            w.object { d in for key in details.keys.sorted() { d.field(key, details[key] ?? "") } }
                        }
                    }
                }
            }
        }
        return json(status, w.data)
    }

    /// The 404 error response for a path no route or file serves.
    public static func notFound(_ path: String) -> HTTPResponse {
        error(404, code: HTTPStatus.errorCode(404), message: "no resource at this path", details: ["path": path])
    }

    /// The 405 error response with the `Allow` header listing `allowed`.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPResponse {
        let list = allowed.joined(separator: ", ")
        var response = error(
            405, code: HTTPStatus.errorCode(405), message: "method \(method) is not allowed here",
            details: ["allowed": list])
        response.headers.set("Allow", list)
        return response
    }
}
