import Dispatch
import Foundation
import Glibc
import HTTP
import Synchronization
import Testing

/// SplitMix64: a small seeded generator so a failing fuzz case can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid requests the mutations start from (no HEAD and no Expect, so every response has a body framed by
/// Content-Length and no interim response).
private let corpus = [
    "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n",
    "GET /nothing?x=1&y=%20 HTTP/1.1\r\nHost: t\r\nAccept: */*\r\n\r\n",
    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello",
    "PUT /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "DELETE /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    "GET /hello HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok"
]

private let interesting: [[UInt8]] = [
    "\r\n", "\n", "\r", " ", "\t", ":", "%", "%00", "%2e%2e/", "/../", "\u{0}", "chunked", "Content-Length: 9\r\n",
    "Transfer-Encoding: chunked\r\n", "ffffffffffffffffff", "99999999999999999999", "HTTP/9.9", "\r\n\r\n", ";", ",",
    "\u{FF}", "Host: a\r\n"
].map { Array($0.utf8) }

private func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: if !bytes.isEmpty { bytes[position] = UInt8.random(in: 0...255, using: &random) }
        case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 2: if !bytes.isEmpty { bytes.remove(at: position) }
        case 3: bytes.insert(contentsOf: interesting.randomElement(using: &random)!, at: position)
        case 4: bytes = Array(bytes[0..<position])
        case 5:
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        case 6:
            bytes.insert(
                contentsOf: repeatElement(
                    UInt8(ascii: "A"),
                    count: Int.random(
                        in: 1...20_000,
                        using: &random)),
                at: position)
        default: bytes += Array(corpus.randomElement(using: &random)!.utf8)
        }
    }
    return bytes
}

/// Splits everything a connection sent back into responses, strictly: each must have an HTTP/1.1 status line with
/// a known status, well-formed header lines and a Content-Length body. Returns the statuses, or a description of
/// what is malformed.
private func responses(in bytes: [UInt8]) -> Result<[Int], RawClientError> {
    let known: Set = [200, 400, 404, 405, 408, 411, 413, 414, 431, 501, 505]
    var statuses: [Int] = []
    var rest = bytes[...]
    while !rest.isEmpty {
        guard let end = rest.firstRange(of: Array("\r\n\r\n".utf8)) else {
            let text = String(decoding: rest.prefix(200), as: UTF8.self)
            return .failure(RawClientError(description: "unterminated head: \(text)"))
        }
        let lines = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ", maxSplits: 2)
        guard status.count == 3, status[0] == "HTTP/1.1", let code = Int(status[1]), known.contains(code) else {
            return .failure(RawClientError(description: "bad status line \(lines[0].debugDescription)"))
        }
        var length: Int?
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].contains(" ") else {
                return .failure(RawClientError(description: "bad header line \(line.debugDescription)"))
            }
            if parts[0].lowercased() == "content-length" { length = Int(parts[1].trimmingCharacters(in: .whitespaces)) }
        }
        guard let length, rest[end.upperBound...].count >= length else {
            return .failure(RawClientError(description: "missing or short Content-Length body"))
        }
        statuses.append(code)
        rest = rest[(end.upperBound + length)...]
    }
    return .success(statuses)
}

/// Fuzz results collected from the client threads.
private final class Tally: Sendable {
    let failures = Mutex<[String]>([])
    let counts = Mutex<[Int: Int]>([:])
}

@Suite("HTTP server fuzzing")
struct HTTPFuzzTests {
    @Test("3000 mutated requests: every response well-formed with a known status, the server keeps answering")
    func mutatedRequests() throws {
        let server = try TestServer { $0.maxBodyBytes = 4096 }
        defer { server.stop() }
        let cases = 3000, workers = 4
        let tally = Tally()
        let port = server.port
        // Plain threads, not Dispatch workers: blocking clients must not starve the server's queues in this process.
        let done = DispatchGroup()
        for worker in 0..<workers {
            done.enter()
            Thread {
                Self.fuzz(
                    port: port, cases: Array(stride(from: worker, to: cases, by: workers)),
                    seed: UInt64(0xC0FFEE + worker), tally: tally)
                done.leave()
            }.start()
        }
        done.wait()
        let failures = tally.failures.withLock { $0 }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
        let statuses = tally.counts.withLock { $0 }
        print("fuzz responses by status: \(statuses.sorted { $0.key < $1.key })")
        #expect(statuses[400, default: 0] > 100)
        #expect(statuses[200, default: 0] > 100)

        let client = try RawClient(port: port)
        try client.send(get("/hello"))
        #expect(try client.readResponse().text == "hello")
        withExtendedLifetime(client) { #expect(server.waitForConnections(1)) }
    }

    /// Runs the fuzz cases numbered `cases` on one connection each.
    private static func fuzz(port: Int, cases: [Int], seed: UInt64, tally: Tally) {
        var random = SplitMix64(state: seed)
        for index in cases {
            let request = mutate(Array(corpus.randomElement(using: &random)!.utf8), &random)
            do {
                let client = try RawClient(port: port)
                try? client.send(request) // the server may answer and close before everything is sent
                shutdown(client.fd, Int32(SHUT_WR))
                switch responses(in: try client.readToEnd()) {
                case .success(let statuses):
                    tally.counts.withLock { counts in for status in statuses { counts[status, default: 0] += 1 } }
                case .failure(let error):
                    let text = String(decoding: request.prefix(300), as: UTF8.self).debugDescription
                    tally.failures.withLock { $0.append("case \(index) \(text): \(error)") }
                }
            } catch {
                tally.failures.withLock { $0.append("case \(index): \(error)") }
            }
        }
    }

    @Test("random bytes, not even HTTP, get 400, 414, 431, 505 or nothing")
    func randomBytes() throws {
        let server = try TestServer()
        defer { server.stop() }
        var random = SplitMix64(state: 7)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 1...3000, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            let client = try RawClient(port: server.port)
            try? client.send(bytes)
            shutdown(client.fd, Int32(SHUT_WR))
            let statuses = try responses(in: client.readToEnd()).get()
            #expect(statuses.allSatisfy { [400, 414, 431, 505].contains($0) }, "\(statuses)")
        }
        let client = try RawClient(port: server.port)
        try client.send(get("/hello"))
        #expect(try client.readResponse().text == "hello")
    }
}
