import Foundation
import Glibc

/// Writes the status line and header block of a response.
enum ResponseHead {
    /// The head for `response` answering a request (HEAD or not), with `Content-Length` (a streamed body:
    /// `Transfer-Encoding: chunked` for HTTP/1.1, neither for HTTP/1.0), `Date`, `Server` and `Connection` set by the
    /// server, and each of `defaults` the response does not set itself. Header fields with CR, LF or NUL in the name
    /// or value are dropped, so a handler can't split the response.
    static func serialize(
        _ response: HTTPResponse, headRequest: Bool, requestVersion: String, close: Bool,
        date: String, defaults: [(name: String, value: String)] = []
    ) -> String {
        var text = "HTTP/1.1 \(response.status) \(HTTPStatus.reasonPhrase(response.status))\r\n"
        let managed = ["content-length", "connection", "transfer-encoding", "date", "server"]
        var hasDate = false, hasServer = false
        for (name, value) in response.headers {
            let lower = name.lowercased()
            guard isSafe(name), isSafe(value), !name.isEmpty else { continue }
            if lower == "date" { hasDate = true }
            if lower == "server" { hasServer = true }
            if managed.contains(lower) && lower != "date" && lower != "server" { continue }
            text += "\(name): \(value)\r\n"
        }
        for (name, value) in defaults where !response.headers.contains(name) && isSafe(name) && isSafe(value) {
            text += "\(name): \(value)\r\n"
        }
        if response.stream != nil && !HTTPStatus.forbidsBody(response.status) {
            if requestVersion != "HTTP/1.0" { text += "Transfer-Encoding: chunked\r\n" }
        } else if !HTTPStatus.forbidsBody(response.status) {
            let explicit = response.headers["Content-Length"].flatMap { Int($0) }
            let length = headRequest && response.body.isEmpty ? explicit ?? 0 : response.body.count
            text += "Content-Length: \(length)\r\n"
        }
        if !hasDate { text += "Date: \(date)\r\n" }
        if !hasServer { text += "Server: glassbox\r\n" }
        if close {
            text += "Connection: close\r\n"
        } else if requestVersion == "HTTP/1.0" {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        return text
    }

    private static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }
}

/// The IMF-fixdate of RFC 9110 §5.6.7 (`Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func string(secondsSince1970 seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    static func now() -> String {
        string(secondsSince1970: time(nil))
    }
}
