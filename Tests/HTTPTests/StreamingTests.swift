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
        try client.send(get("/stream?n=4&gated=1") + get("/hello"))
        let head = try client.readChunkedHead()
        #expect(head.status == 200)
        #expect(head.header("Transfer-Encoding") == "chunked" && head.header("Content-Length") == nil)
        // Each piece arrives while the next one is not produced yet: the handler waits for the test to read it.
        for index in 0..<4 {
            let chunk = try #require(try client.readChunk())
            #expect(String(decoding: chunk, as: UTF8.self) == "piece \(index)\n")
            #expect(!server.gates.called.contains("stream-sent-\(index + 1)"))
            if index < 3 { server.gates.semaphore("piece-\(index + 1)").signal() }
        }
        #expect(try client.readChunk() == nil, "then the last chunk")
        let after = try client.readResponse()
        #expect(after.status == 200 && after.text == "hello")
        #expect(server.accessLog.all.contains { $0.hasPrefix("GET /stream?n=4&gated=1 200 stream ") })
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
            try client.send(get("/stream?n=50&gated=1"))
            let first = String(decoding: try client.readFirstChunk(), as: UTF8.self)
            #expect(first.contains("piece 0"))
        } // closed here
        // The producer is waiting to make piece 1: the close cancels the stream before it does.
        #expect(server.gates.waitForCalls(["stream-cancelled"], seconds: 20))
        server.gates.semaphore("piece-1").signal()
        #expect(server.gates.waitForCalls(["stream-done"], seconds: 20))
        let sent = (0..<50).filter { server.gates.called.contains("stream-sent-\($0)") }
        #expect(sent == [0], "pieces produced: \(sent)")
    }
}
