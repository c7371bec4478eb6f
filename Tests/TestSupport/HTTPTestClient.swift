import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over a loopback socket, for live-server tests: one request per connection
/// (`Connection: close`), the whole response read back.
public enum HTTPTestClient {
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ClientError(message: "not a JSON object: \(text.prefix(200))")
            }
            return object
        }
    }

    public struct ClientError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// Sends `method path` with `body` to 127.0.0.1:`port` and returns the response.
    public static func request(
        port: Int, _ method: String, _ path: String, body: Data? = nil,
        headers: [String: String] = [:], timeout: Int = 120
    ) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\nContent-Type: application/json\r\n" }
        var raw = Data((head + "\r\n").utf8)
        if let body { raw.append(body) }
        return try parse(exchange(port: port, raw, timeout: timeout))
    }

    /// Sends raw bytes and returns everything the server sends back until it closes (or the timeout).
    public static func exchange(port: Int, _ bytes: Data, timeout: Int = 30) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(message: "socket() failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ClientError(message: "cannot connect to port \(port)") }
        try bytes.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ClientError(message: "send: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 {
                received.append(contentsOf: chunk[0..<n])
                continue
            }
            if n == 0 { break }
            switch errno {
            // A socket with SO_RCVTIMEO is never restarted after a signal handler ran (signal(7)): the process's
            // child-exit handling (the CLI tests' subprocesses) interrupts a blocking recv here.
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNRESET: return received // the timeout, or a reset after the response
            default:
                throw ClientError(message: "recv after \(received.count) bytes: \(String(cString: strerror(errno)))")
            }
        }
        return received
    }

    /// Parses one response with a Content-Length body.
    public static func parse(_ data: Data) throws -> Response {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw ClientError(message: "no complete response header in \(data.count) bytes")
        }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(
            separatedBy: "\r\n")
        let parts = head[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw ClientError(message: "bad status line \(head[0])")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init), body.count > length { body = body.prefix(length) }
        return Response(status: status, headers: headers, body: body)
    }
}
