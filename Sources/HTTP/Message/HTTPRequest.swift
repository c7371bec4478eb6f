import Foundation

/// One parsed HTTP/1.x request: the request line, the header fields and the whole body.
public struct HTTPRequest: Sendable {
    /// The method token as sent (`GET`, `POST`, `HEAD`, or any other token; methods are case-sensitive).
    public let method: String
    /// The raw request-target as sent, e.g. `/api/runs/ab12/graph?threshold=0.04`.
    public let target: String
    /// The percent-decoded path without the query (`/api/runs/ab12/graph`); `*` for `OPTIONS *`.
    public let path: String
    /// The decoded query parameters in order (`+` is a space in the query); a name without `=` has value "".
    public let query: [(name: String, value: String)]
    /// `HTTP/1.1` or `HTTP/1.0`.
    public let version: String
    public let headers: HTTPHeaders
    public let body: Data
    /// The client's numeric IP address as the socket saw it (a proxy's, behind one); "" when not from a socket.
    public var peerAddress = ""

    /// Builds a request and parses its target into `path` and `query`.
    ///
    /// - Throws: `HTTPParseError` 400 when the target is neither origin-form (`/…`) nor `*` with `OPTIONS`, or has
    ///   invalid percent-encoding, a percent-encoded NUL in the path, or bytes that are not UTF-8 once decoded.
    public init(
        method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(),
        body: Data = Data()
    ) throws(HTTPParseError) {
        let (path, query) = try Self.parseTarget(target, method: method)
        self.init(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            body: body)
    }

    /// A request whose target was already parsed by `parseTarget`.
    init(
        method: String, target: String, path: String, query: [(name: String, value: String)], version: String,
        headers: HTTPHeaders, body: Data
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// Splits a request-target into its decoded path and query parameters (see `init`).
    static func parseTarget(_ target: String, method: String) throws(HTTPParseError)
        -> (path: String, query: [(name: String, value: String)])
    {
        if target == "*" {
            guard method == "OPTIONS" else { throw .badRequest("the target * is only allowed with OPTIONS") }
            return ("*", [])
        }
        guard target.utf8.first == UInt8(ascii: "/") else {
            throw .badRequest("the request target must start with /")
        }
        let rawPath: Substring
        let rawQuery: Substring?
        if let mark = target.firstIndex(of: "?") {
            rawPath = target[..<mark]
            rawQuery = target[target.index(after: mark)...]
        } else {
            rawPath = target[...]
            rawQuery = nil
        }
        guard let path = PercentDecoding.decode(rawPath, plusIsSpace: false) else {
            throw .badRequest("invalid percent-encoding in the path")
        }
        guard !path.utf8.contains(0) else { throw .badRequest("NUL in the path") }
        var parameters: [(name: String, value: String)] = []
        for pair in rawQuery?.split(separator: "&") ?? [] {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            guard let decodedName = PercentDecoding.decode(name, plusIsSpace: true),
                let decodedValue = PercentDecoding.decode(value, plusIsSpace: true)
            else { throw .badRequest("invalid percent-encoding in the query") }
            parameters.append((name: decodedName, value: decodedValue))
        }
        return (path, parameters)
    }

    /// The first value of the query parameter `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Whether the connection stays open after this request: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only
    /// with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.tokens("Connection")
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") && !tokens.contains("close") }
        return !tokens.contains("close")
    }
}

/// Percent-decoding of URL components (RFC 3986 §2.1) into UTF-8 strings.
enum PercentDecoding {
    /// The decoded string, or nil when a `%` is not followed by two hex digits or the bytes are not UTF-8.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low < utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low]) else { return nil }
                bytes.append(h << 4 | l)
                index = utf8.index(after: low)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The value of an ASCII hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
