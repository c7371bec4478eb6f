import Foundation

/// An incremental HTTP/1.x request parser (RFC 9112).
///
/// Bytes go in with `append` in pieces of any size, down to one byte at a time; `next()` returns each complete
/// request in order, so several pipelined requests in one read come out one by one and bytes after a request stay
/// buffered for the next. A line is searched only once however the bytes arrive, so trickled input is linear.
///
/// Framing rules: bare LF is accepted as a line end; obs-fold, whitespace before the colon, control characters and
/// bare CR are 400; `Content-Length` must be digits, differing values are 400, together with `Transfer-Encoding` 400;
/// `Transfer-Encoding` must end in `chunked` (400) and have no other coding (501); chunk extensions and trailers are
/// skipped; `POST`, `PUT` and `PATCH` without either are 411; other methods without either have no body. HTTP/1.1
/// without exactly one `Host` is 400. After an error the parser stays failed and `next()` throws it again.
public struct HTTPRequestParser: Sendable {
    /// What the parser is waiting for.
    public enum Phase: Sendable, Equatable {
        /// Between requests: nothing of the next request buffered yet.
        case idle
        /// Some of the request line or header fields received.
        case head
        /// The head is complete; the body (or its chunks and trailers) is still arriving.
        case body
    }

    /// Request line plus header fields, counted with their line ends and the empty line; over → 431.
    public let maxHeaderBytes: Int
    /// The request line alone, without its line end; over → 414.
    public let maxRequestLineBytes: Int
    /// The decoded body; over → 413, by `Content-Length` before reading or as soon as a chunk size passes it.
    public let maxBodyBytes: Int

    private enum State {
        case requestLine, headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case failed(HTTPParseError)
    }

    private static let maxChunkSizeLineBytes = 1024

    private var buffer: [UInt8] = []
    /// The first byte not consumed yet.
    private var position = 0
    /// How many bytes after `position` are known to hold no LF.
    private var scanned = 0
    private var state = State.requestLine

    private var method = ""
    private var target = ""
    private var path = ""
    private var query: [(name: String, value: String)] = []
    private var version = ""
    private var headers = HTTPHeaders()
    private var headBytes = 0
    private var trailerBytes = 0
    private var body = Data()
    private var continueExpected = false

    public init(maxHeaderBytes: Int = 16_384, maxRequestLineBytes: Int = 8_192, maxBodyBytes: Int = 1_048_576) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received and not yet returned as part of a request.
    public var bufferedByteCount: Int { buffer.count - position }

    public var phase: Phase {
        switch state {
        case .requestLine: bufferedByteCount == 0 ? .idle : .head
        case .headers: .head
        case .failed: .idle
        default: .body
        }
    }

    /// True once per request whose head asked for `Expect: 100-continue` while its body hasn't fully arrived: the
    /// caller then sends `HTTP/1.1 100 Continue` (unless it is about to answer with a final status anyway).
    public mutating func takeContinueRequest() -> Bool {
        defer { continueExpected = false }
        if case .body = phase { return continueExpected }
        return false
    }

    /// The next complete request, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPRequest? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .requestLine:
                guard let (line, length) = takeLine() else {
                    let pending = bufferedByteCount
                    if pending > maxRequestLineBytes + 1 { throw requestLineTooLong() }
                    if pending > maxHeaderBytes { throw headTooLarge() }
                    return nil
                }
                if line.isEmpty { continue } // RFC 9112 §2.2: ignore empty lines before the request line
                if line.count > maxRequestLineBytes { throw requestLineTooLong() }
                headBytes = length
                if headBytes > maxHeaderBytes { throw headTooLarge() }
                try parseRequestLine(line)
                state = .headers

            case .headers:
                guard let (line, length) = takeLine() else {
                    if headBytes + bufferedByteCount > maxHeaderBytes { throw headTooLarge() }
                    return nil
                }
                headBytes += length
                if headBytes > maxHeaderBytes { throw headTooLarge() }
                if line.isEmpty {
                    try finishHead()
                } else {
                    try parseField(line)
                }

            case .fixedBody(let remaining):
                let count = min(remaining, bufferedByteCount)
                body.append(contentsOf: buffer[position..<position + count])
                position += count
                scanned = 0
                if remaining == count { return finishRequest() }
                state = .fixedBody(remaining: remaining - count)
                return nil

            case .chunkSize:
                guard let (line, _) = takeLine() else {
                    if bufferedByteCount > Self.maxChunkSizeLineBytes { throw .badRequest("chunk size line too long") }
                    return nil
                }
                if line.count > Self.maxChunkSizeLineBytes { throw .badRequest("chunk size line too long") }
                let size = try parseChunkSize(line)
                if size == 0 {
                    state = .trailers
                } else {
                    if size > maxBodyBytes - body.count { throw bodyTooLarge() }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let count = min(remaining, bufferedByteCount)
                body.append(contentsOf: buffer[position..<position + count])
                position += count
                scanned = 0
                if remaining == count {
                    state = .chunkEnd
                } else {
                    state = .chunkData(remaining: remaining - count)
                    return nil
                }

            case .chunkEnd:
                guard let (line, _) = takeLine() else {
                    if bufferedByteCount > 1 { throw .badRequest("chunk data longer than its size") }
                    return nil
                }
                guard line.isEmpty else { throw .badRequest("chunk data longer than its size") }
                state = .chunkSize

            case .trailers:
                guard let (line, length) = takeLine() else {
                    if trailerBytes + bufferedByteCount > maxHeaderBytes { throw headTooLarge() }
                    return nil
                }
                trailerBytes += length
                if trailerBytes > maxHeaderBytes { throw headTooLarge() }
                if line.isEmpty { return finishRequest() }
                if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                    throw .badRequest("obsolete line folding in a trailer field")
                }
                guard line.contains(UInt8(ascii: ":")) else { throw .badRequest("malformed trailer field") }
            }
        }
    }

    // MARK: Lines

    /// The next line without its line end (CRLF or bare LF) and the number of bytes consumed, or nil if no LF yet.
    private mutating func takeLine() -> (ArraySlice<UInt8>, Int)? {
        let searchStart = position + scanned
        guard let lf = buffer[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = buffer.count - position
            return nil
        }
        var end = lf
        if end > position && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = buffer[position..<end]
        let consumed = lf + 1 - position
        position = lf + 1
        scanned = 0
        return (line, consumed)
    }

    /// Drops consumed bytes once they are at least half the buffer, so appends stay amortised O(1).
    private mutating func compact() {
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
    }

    // MARK: Head

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .badRequest("malformed request line")
        }
        guard parts[0].allSatisfy(HTTPSyntax.isTokenByte) else { throw .badRequest("malformed method") }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("the request target has a byte that is not visible ASCII")
        }
        version = try Self.parseVersion(parts[2])
        method = String(decoding: parts[0], as: UTF8.self)
        target = String(decoding: parts[1], as: UTF8.self)
        (path, query) = try HTTPRequest.parseTarget(target, method: method)
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> String {
        let text = Array(bytes)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard text.count == 8, text.starts(with: Array("HTTP/".utf8)), isDigit(text[5]),
            text[6] == UInt8(ascii: "."), isDigit(text[7])
        else { throw .badRequest("malformed HTTP version") }
        let version = String(decoding: text, as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPParseError(status: 505, message: "only HTTP/1.0 and HTTP/1.1 are supported, not \(version)")
        }
        return version
    }

    private mutating func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            throw .badRequest("obsolete line folding in a header field")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .badRequest("header field without a colon")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw .badRequest("malformed header field name")
        }
        var value = line[line.index(after: colon)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw .badRequest("control character in a header field value")
        }
        headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Decides how the body is framed (RFC 9112 §6.3) once the empty line ends the head.
    private mutating func finishHead() throws(HTTPParseError) {
        if version == "HTTP/1.1" && headers.values("Host").count != 1 {
            throw .badRequest("an HTTP/1.1 request needs exactly one Host header")
        }
        let transferCodings = headers.tokens("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !headers.values("Transfer-Encoding").isEmpty {
            guard lengths.isEmpty else { throw .badRequest("both Transfer-Encoding and Content-Length") }
            guard transferCodings.last == "chunked", transferCodings.filter({ $0 == "chunked" }).count == 1 else {
                throw .badRequest("Transfer-Encoding must end with chunked, once")
            }
            guard transferCodings.count == 1 else {
                throw HTTPParseError(status: 501, message: "only the chunked transfer coding is supported")
            }
            state = .chunkSize
        } else if !lengths.isEmpty {
            let length = try parseContentLength(lengths)
            if length > maxBodyBytes { throw bodyTooLarge() }
            if length == 0 {
                state = .fixedBody(remaining: 0)
            } else {
                body.reserveCapacity(length)
                state = .fixedBody(remaining: length)
            }
        } else if ["POST", "PUT", "PATCH"].contains(method) {
            throw HTTPParseError(status: 411, message: "\(method) needs Content-Length or chunked Transfer-Encoding")
        } else {
            state = .fixedBody(remaining: 0)
        }
        continueExpected = headers.tokens("Expect").contains("100-continue")
    }

    private func parseContentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        var result: Int?
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = element.trimmingSpacesAndTabs()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .badRequest("Content-Length must be decimal digits")
            }
            // More digits than fit in an Int is certainly over any body limit.
            let value = Int(digits) ?? Int.max
            if let result, result != value { throw .badRequest("differing Content-Length values") }
            result = value
        }
        return result ?? 0
    }

    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let digit = PercentDecoding.hexValue(line[index]) {
            digits += 1
            if digits > 15 { throw bodyTooLarge() }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard digits > 0 else { throw .badRequest("malformed chunk size") }
        while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        guard index == line.endIndex || line[index] == UInt8(ascii: ";") else {
            throw .badRequest("malformed chunk size")
        }
        return size
    }

    private mutating func finishRequest() -> HTTPRequest {
        let request = HTTPRequest(
            method: method, target: target, path: path, query: query, version: version,
            headers: headers, body: body)
        state = .requestLine
        headers = HTTPHeaders()
        body = Data()
        query = []
        headBytes = 0
        trailerBytes = 0
        continueExpected = false
        return request
    }

    private func requestLineTooLong() -> HTTPParseError {
        HTTPParseError(status: 414, message: "the request line is longer than \(maxRequestLineBytes) bytes")
    }

    private func headTooLarge() -> HTTPParseError {
        HTTPParseError(status: 431, message: "the request head is larger than \(maxHeaderBytes) bytes")
    }

    private func bodyTooLarge() -> HTTPParseError {
        HTTPParseError(status: 413, message: "the request body is larger than \(maxBodyBytes) bytes")
    }
}

/// Character classes of RFC 9110 §5.6.
enum HTTPSyntax {
    /// `tchar`: the characters of a method or header field name.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
