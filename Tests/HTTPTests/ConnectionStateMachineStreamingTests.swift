import Foundation
import HTTP
import Testing

/// Streamed bodies in the connection state machine: the head goes out with the response, the pieces as chunks,
/// the responses behind it wait for its end, and a peer that goes away closes the connection.
@Suite("Connection state machine: streamed bodies")
struct ConnectionStateMachineStreamingTests {
    @Test("a streamed body: head, chunks, end; the pipelined response behind it waits for the end")
    func streamed() {
        var harness = Harness()
        #expect(
            harness.read(get("/stream") + get("/after"), at: 1) == [
                .deliver(0, "GET /stream"), .deliver(1, "GET /after")
            ])
        #expect(harness.respond(1) == [])
        #expect(harness.respondStreaming(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.sent.map(\.streams) == [true] && harness.sent.map(\.chunked) == [true])
        #expect(harness.drained(at: 2) == [])
        #expect(harness.machine.waitingFor == .handlers, "no deadline of ours while the handler streams")
        #expect(harness.on(.streamData(0, Data("one".utf8))) == [.sendChunk("one", chunked: true), .flush])
        #expect(harness.on(.streamData(0, Data())) == [], "an empty piece is not a chunk")
        #expect(harness.on(.streamData(1, Data("x".utf8))) == [], "only the response being streamed streams")
        #expect(harness.drained(at: 3) == [])
        #expect(harness.on(.streamData(0, Data("two".utf8))) == [.sendChunk("two", chunked: true), .flush])
        #expect(
            harness.on(.streamEnded(0)) == [.endStream(chunked: true), .send(1, status: 200, close: false), .flush])
        #expect(harness.on(.streamEnded(0)) == [], "a second end is ignored")
        #expect(harness.drained(at: 4) == [])
        #expect(harness.state == .reading && harness.machine.pendingCount == 0)
    }

    @Test("the peer closing while a body is streamed closes at once (the driver cancels the stream)")
    func peerGone() {
        var harness = Harness()
        _ = harness.read(get("/stream"), at: 1)
        _ = harness.respondStreaming(0)
        _ = harness.drained(at: 2)
        #expect(harness.on(.peerClosed(at: t(3))) == [.close])
        #expect(harness.state == .closed)
        #expect(harness.on(.streamData(0, Data("late".utf8))) == [])
    }

    @Test("HTTP/1.0: the body is sent as it is and the connection closes after it")
    func http10() {
        var harness = Harness()
        _ = harness.read("GET /stream HTTP/1.0\r\n\r\n", at: 1)
        #expect(harness.respondStreaming(0) == [.send(0, status: 200, close: true), .flush])
        #expect(harness.sent.map(\.chunked) == [false])
        #expect(harness.on(.streamData(0, Data("raw".utf8))) == [.sendChunk("raw", chunked: false), .flush])
        #expect(harness.on(.streamEnded(0)) == [.endStream(chunked: false), .flush])
        #expect(harness.drained(at: 2) == [.shutdownWrite, .setTimer(4)])
    }

    @Test("HEAD and 304 answers do not stream: released as heads, nothing waits on them")
    func headOnly() {
        var harness = Harness()
        _ = harness.read("HEAD /stream HTTP/1.1\r\nHost: test\r\n\r\n" + get("/after"), at: 1)
        #expect(
            harness.respondStreaming(0) + harness.respond(1) == [
                .send(0, status: 200, close: false), .flush, .send(1, status: 200, close: false), .flush
            ])
        #expect(harness.sent.map(\.streams) == [false, false])
        _ = harness.read(get("/not-modified"), at: 2)
        #expect(harness.respondStreaming(2, 304) == [.send(2, status: 304, close: false), .flush])
        #expect(harness.sent.last?.streams == false)
    }

    @Test("a stop while a body is streamed: the stream finishes, then the connection closes")
    func shutdownWhileStreaming() {
        var harness = Harness()
        _ = harness.read(get("/stream"), at: 1)
        _ = harness.respondStreaming(0)
        _ = harness.drained(at: 2)
        _ = harness.on(.shutdown)
        #expect(harness.on(.streamData(0, Data("last".utf8))) == [.sendChunk("last", chunked: true), .flush])
        #expect(harness.on(.streamEnded(0)) == [.endStream(chunked: true), .flush])
        #expect(harness.drained(at: 3) == [.close])
    }

    @Test("a reader that stops taking the stream is closed after the idle timeout")
    func stalledReader() {
        var harness = Harness()
        _ = harness.read(get("/stream"), at: 1)
        _ = harness.respondStreaming(0)
        _ = harness.drained(at: 2)
        _ = harness.on(.streamData(0, Data("piece".utf8)))
        #expect(harness.blocked(at: 3, sent: 0) == [.watchWritable])
        #expect(harness.machine.waitingFor == .writeStall(until: t(62)))
        #expect(harness.timer(at: 62) == [.close])
    }
}
