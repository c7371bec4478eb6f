import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `glassbox bench http`: requests per second and latency of one GET against a running server, over keep-alive
/// connections (one thread per connection, one request in flight per connection). Loopback use only.
public struct HTTPLoadGenerator: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public let requests: Int
        public let errors: Int
        public let seconds: Double
        public let requestsPerSecond: Double
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
        public let maxMilliseconds: Double
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public let path: String
    public let connections: Int
    public let duration: Double

    public init(port: Int, path: String, connections: Int, duration: Double) {
        self.port = port
        self.path = path
        self.connections = connections
        self.duration = duration
    }

    public func run() throws -> Report {
        let request = Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let results = (0..<connections).map { _ in Results() }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(duration * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: connections) { index in
            Self.client(port: port, request: request, until: deadline, into: results[index])
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let latencies = results.flatMap(\.latencies).sorted()
        let errors = results.reduce(0) { $0 + $1.errors }
        guard !latencies.isEmpty else { throw LoadError(description: "no request succeeded (\(errors) errors)") }
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1e3
        }
        return Report(
            requests: latencies.count, errors: errors, seconds: seconds,
            requestsPerSecond: Double(latencies.count) / seconds, p50Milliseconds: percentile(0.5),
            p99Milliseconds: percentile(0.99), maxMilliseconds: latencies.last! * 1e3)
    }

    /// One connection's measurements (touched only by its own thread until the run ends).
    private final class Results: @unchecked Sendable {
        var latencies: [Double] = []
        var errors = 0
    }

    private static func client(port: Int, request: Data, until deadline: UInt64, into results: Results) {
        var fd = connectLoopback(port)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            if fd < 0 {
                fd = connectLoopback(port)
                if fd < 0 {
                    results.errors += 1
                    return
                }
            }
            let begin = DispatchTime.now().uptimeNanoseconds
            let sent = request.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent == request.count, readResponse(fd, &buffer) else {
                results.errors += 1
                close(fd)
                fd = -1
                continue
            }
            results.latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
        }
        if fd >= 0 { close(fd) }
    }

    /// Reads one response with a Content-Length body; false on a non-200 status or a broken connection.
    private static func readResponse(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var count = 0, headerEnd = -1, total = -1
        while total < 0 || count < total {
            if count == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + count, $0.count - count, 0) }
            guard n > 0 else { return false }
            count += n
            if headerEnd < 0, let end = findHeaderEnd(buffer, count) {
                headerEnd = end
                let head = String(decoding: buffer[0..<end], as: UTF8.self).lowercased()
                guard head.hasPrefix("http/1.1 200") else { return false }
                let length =
                    head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                total = end + length
            }
        }
        return true
    }

    private static func findHeaderEnd(_ buffer: [UInt8], _ count: Int) -> Int? {
        guard count >= 4 else { return nil }
        for i in 3..<count where buffer[i] == 10 && buffer[i - 1] == 13 && buffer[i - 2] == 10 && buffer[i - 3] == 13 {
            return i + 1
        }
        return nil
    }

    private static func connectLoopback(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if status != 0 {
            close(fd)
            return -1
        }
        return fd
    }
}
