import Foundation
import Glibc

/// A response as read off the wire by `RawClient`.
struct RawResponse {
    let status: Int
    let reason: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// `error.code` of a JSON error body.
    var errorCode: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }
}

struct RawClientError: Error, CustomStringConvertible {
    let description: String
}

/// A tiny blocking HTTP/1.1 client over a raw TCP socket, for live tests: it sends exactly the bytes given and
/// parses responses strictly (status line, headers, `Content-Length` body). Reads time out after `timeout` seconds
/// so a broken server fails a test instead of hanging it.
final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Int = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawClientError(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw RawClientError(description: "connect: \(String(cString: strerror(errno)))")
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        Glibc.close(fd)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw RawClientError(description: "send: \(String(cString: strerror(errno)))") }
            offset += count
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        // With a receive timeout set a signal interrupts recv rather than restarting it (signal(7)).
        while count < 0 && errno == EINTR {
            count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 { return false }
        if errno == ECONNRESET { return false }
        throw RawClientError(description: "recv: \(String(cString: strerror(errno)))")
    }

    /// The next response; `head` for a response to HEAD (no body whatever Content-Length says).
    func readResponse(head: Bool = false) throws -> RawResponse {
        var headEnd: Int?
        while true {
            if let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                break
            }
            guard try fill() else { throw RawClientError(description: "closed before a response head") }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]), parts[1].count == 3 else {
            throw RawClientError(description: "malformed status line \(statusLine.debugDescription)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                throw RawClientError(description: "malformed header \(line.debugDescription)")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        buffer.removeFirst(headEnd!)
        let noBody = head || status == 304 || status == 204 || (100..<200).contains(status)
        let lengthText = headers.first { $0.name.lowercased() == "content-length" }?.value
        guard noBody || lengthText != nil else { throw RawClientError(description: "response without Content-Length") }
        let length = noBody ? 0 : Int(lengthText!) ?? -1
        guard length >= 0 else { throw RawClientError(description: "bad Content-Length \(lengthText!)") }
        while buffer.count < length {
            guard try fill() else { throw RawClientError(description: "closed inside a body") }
        }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return RawResponse(
            status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers,
            body: body)
    }

    /// The head of a response whose body is chunked (its `body` empty); then `readChunk` reads the chunks.
    func readChunkedHead() throws -> RawResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound
            if headEnd == nil { guard try fill() else { throw RawClientError(description: "closed before a head") } }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd!)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        let headers = lines.map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return RawResponse(status: status, reason: "", headers: headers, body: [])
    }

    /// The next chunk's data, or nil for the last (empty) chunk.
    func readChunk() throws -> [UInt8]? {
        let crlf = Array("\r\n".utf8)
        var lineEnd = buffer.firstRange(of: crlf)
        while lineEnd == nil {
            guard try fill() else { throw RawClientError(description: "closed inside a chunked body") }
            lineEnd = buffer.firstRange(of: crlf)
        }
        let start = lineEnd!.upperBound
        let sizeText = String(decoding: buffer[0..<lineEnd!.lowerBound], as: UTF8.self)
        guard let size = Int(sizeText, radix: 16) else {
            throw RawClientError(description: "bad chunk size \(sizeText.debugDescription)")
        }
        while buffer.count < start + size + 2 {
            guard try fill() else { throw RawClientError(description: "closed inside a chunk") }
        }
        let data = Array(buffer[start..<(start + size)])
        guard Array(buffer[(start + size)..<(start + size + 2)]) == crlf else {
            throw RawClientError(description: "a chunk not followed by CRLF")
        }
        buffer.removeFirst(start + size + 2)
        return size == 0 ? nil : data
    }

    /// The head of the next response and the chunks that have arrived by now (at least one), without waiting for
    /// the end.
    func readFirstChunk() throws -> [UInt8] {
        while buffer.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            guard try fill() else { throw RawClientError(description: "closed before a head") }
        }
        let headEnd = buffer.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
        while buffer.count <= headEnd + 3 {
            guard try fill() else { throw RawClientError(description: "closed before a chunk") }
        }
        return Array(buffer[headEnd...])
    }

    /// Whether the server closed the connection (end of stream with nothing more buffered).
    func isClosedByServer() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try !fill()
    }

    /// Everything until the server closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }
}

/// `GET path` with a Host header, as a string.
func get(_ path: String, _ extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
}
