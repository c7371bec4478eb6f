import Foundation
import Glibc
import HTTP
import Testing

/// Streamed bodies over real sockets: chunked framing, pieces delivered as they are produced, the next pipelined
/// response after the stream, HTTP/1.0, and a client that goes away cancelling the producer.
@Suite("HTTP server: streamed bodies")
struct StreamingTests {
    @Test("chunked transfer coding, each piece as it is produced, then the pipelined response behind it")
    func chunked() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let started = Date()
        try client.send(get("/stream?n=4&ms=150") + get("/hello"))
        let (head, chunks) = try client.readChunked()
        #expect(head.status == 200)
        #expect(head.header("Transfer-Encoding") == "chunked" && head.header("Content-Length") == nil)
        #expect(head.text == "piece 0\npiece 1\npiece 2\npiece 3\n")
        #expect(chunks.count == 4)
        // The first piece arrives long before the last is produced (150 ms apart).
        let first = chunks[0].at.timeIntervalSince(started), last = chunks[3].at.timeIntervalSince(started)
        #expect(first < 0.45 && last - first > 0.3, "first piece at \(first) s, last at \(last) s")
        let after = try client.readResponse()
        #expect(after.status == 200 && after.text == "hello")
        #expect(server.accessLog.all.contains { $0.hasPrefix("GET /stream?n=4&ms=150 200 stream ") })
    }

    @Test("HTTP/1.0 gets the body as it is, ended by the close")
    func http10() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /stream?n=2 HTTP/1.0\r\n\r\n")
        let text = String(decoding: try client.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(
            !text.contains("Transfer-Encoding") && !text.contains("Content-Length")
                && text.contains("Connection: close"))
        #expect(text.hasSuffix("\r\n\r\npiece 0\npiece 1\n"))
    }

    @Test("a client that closes mid-stream cancels the producer before its next piece")
    func clientGone() throws {
        let server = try TestServer()
        defer { server.stop() }
        do {
            let client = try RawClient(port: server.port)
            try client.send(get("/stream?n=50&ms=100"))
            let first = String(decoding: try client.readFirstChunk(), as: UTF8.self)
            #expect(first.contains("piece 0"))
        } // closed here
        #expect(server.gates.waitForCalls(["stream-cancelled", "stream-done"], seconds: 5))
        let sent = (0..<50).filter { server.gates.called.contains("stream-sent-\($0)") }.count
        #expect(sent < 5, "pieces produced after the client left: \(sent)")
    }
}
