import Foundation

/// A response from a handler. The server adds `Content-Length`, `Date`, `Server` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The whole body. For a `HEAD` request the server sends the headers only; a handler that doesn't want to build
    /// the body for `HEAD` may leave it empty and set `Content-Length` itself.
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
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
        var text = #"{"error":{"code":"#
        JSONString.append(code, to: &text)
        text += #","message":"#
        JSONString.append(message, to: &text)
        if let details {
            text += #","details":{"#
            for (index, key) in details.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONString.append(key, to: &text)
                text += ":"
                JSONString.append(details[key] ?? "", to: &text)
            }
            text += "}"
        }
        text += "}}"
        return json(status, Data(text.utf8))
    }

    /// The 404 error response for a path no route or file serves.
    public static func notFound(_ path: String) -> HTTPResponse {
        error(404, code: HTTPStatus.errorCode(404), message: "no resource at this path", details: ["path": path])
    }

    /// The 405 error response with the `Allow` header listing `allowed`.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPResponse {
        let list = allowed.joined(separator: ", ")
        var response = error(405, code: HTTPStatus.errorCode(405), message: "method \(method) is not allowed here",
                             details: ["allowed": list])
        response.headers.set("Allow", list)
        return response
    }
}

/// Writes JSON string literals (RFC 8259 §7).
enum JSONString {
    /// Appends `value` as a quoted JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, … or
    /// `\u00XX`; U+2028 and U+2029 escaped too so the text is also valid JavaScript.
    static func append(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\u{2028}": text += "\\u2028"
            case "\u{2029}": text += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
