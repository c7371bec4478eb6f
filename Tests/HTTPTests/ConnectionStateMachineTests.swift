import Foundation
import HTTP
import Testing

/// The connection state machine without sockets: requests, pipelining, keep-alive and the ways a connection ends.
/// Deadlines, shutdown and lingering are in `ConnectionStateMachineDeadlineTests`.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    @Test("opening arms the idle deadline; a request goes to the handler, its response out, back to idle")
    func keepAlive() {
        var harness = Harness(opened: false)
        #expect(harness.on(.opened(at: t(0))) == [.setTimer(60)])
        #expect(harness.machine.waitingFor == .idle(until: t(60)))
        #expect(harness.read(get("/a"), at: 1) == [.deliver(0, "GET /a")])
        #expect(harness.machine.waitingFor == .handlers)
        #expect(harness.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.machine.waitingFor == .writeStall(until: t(61)))
        #expect(harness.drained(at: 2) == []) // the timer (60) is found early when it fires
        #expect(harness.state == .reading)
        #expect(harness.timer(at: 60) == [.setTimer(62)])
        #expect(harness.read(get("/b"), at: 61) == [.deliver(1, "GET /b")])
        #expect(harness.sent.map(\.method) == ["GET"])
    }

    @Test("pipelined responses are released in request order when a later one finishes first")
    func pipelineOrder() {
        var harness = Harness()
        #expect(
            harness.read(get("/one") + get("/two") + get("/three"), at: 1)
                == [.deliver(0, "GET /one"), .deliver(1, "GET /two"), .deliver(2, "GET /three")])
        #expect(harness.respond(2) == [])
        #expect(harness.respond(1) == [])
        #expect(
            harness.respond(0) == [
                .send(0, status: 200, close: false), .send(1, status: 200, close: false),
                .send(2, status: 200, close: false), .flush
            ])
        #expect(harness.respond(1) == [], "a second answer is ignored")
        #expect(harness.drained(at: 2) == [])
        #expect(harness.machine.pendingCount == 0)
    }

    @Test("a full pipeline pauses reading; requests buffered meanwhile are parsed once there is room")
    func pipelineLimit() {
        var harness = Harness { $0.maxPipelinedRequests = 2 }
        #expect(
            harness.read(get("/0") + get("/1") + get("/2"), at: 1)
                == [.deliver(0, "GET /0"), .deliver(1, "GET /1"), .pauseReading])
        #expect(harness.machine.waitingFor == .handlers, "no head deadline for a request left unread")
        #expect(harness.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.drained(at: 2) == [.deliver(2, "GET /2")], "still full: reading stays paused")
        #expect(harness.respond(1) == [.send(1, status: 200, close: false), .flush])
        #expect(harness.drained(at: 3) == [.resumeReading])
    }

    @Test("HEAD is released head-only, with the request's version")
    func head() {
        var harness = Harness()
        #expect(harness.read("HEAD /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", at: 1) == [.deliver(0, "HEAD /a")])
        #expect(harness.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.sent.map(\.isHead) == [true])
        #expect(harness.sent.map(\.version) == ["HTTP/1.0"])
    }

    @Test("Connection: close is the last request: later bytes are dropped, its response closes, then linger")
    func connectionClose() {
        var harness = Harness()
        #expect(harness.read(get("/a", "Connection: close\r\n") + get("/b"), at: 1) == [.deliver(0, "GET /a")])
        #expect(harness.state == .finishing(.init()))
        #expect(harness.read(get("/c"), at: 2) == [], "dropped, and reading is not paused")
        #expect(harness.respond(0) == [.send(0, status: 200, close: true), .flush])
        #expect(harness.state == .flushing(.init()))
        #expect(harness.drained(at: 3) == [.shutdownWrite, .setTimer(5)])
        #expect(harness.state == .lingering(until: t(5)))
    }

    @Test("HTTP/1.0 closes after its response unless it asked for keep-alive")
    func http10() {
        var plain = Harness()
        #expect(plain.read("GET /a HTTP/1.0\r\n\r\n", at: 1) == [.deliver(0, "GET /a")])
        #expect(plain.respond(0) == [.send(0, status: 200, close: true), .flush])
        var kept = Harness()
        #expect(kept.read("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", at: 1) == [.deliver(0, "GET /a")])
        #expect(kept.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(kept.state == .reading)
    }

    @Test("a handler's Connection: close ends the connection after its response; answers behind it are dropped")
    func handlerCloses() {
        var harness = Harness()
        _ = harness.read(get("/a") + get("/b"), at: 1)
        #expect(harness.respond(0, headers: [("Connection", "close")]) == [.send(0, status: 200, close: true), .flush])
        #expect(harness.machine.pendingCount == 0)
        #expect(harness.respond(1) == [])
        #expect(harness.state == .flushing(.init()))
    }

    @Test("a parse error is answered with its status as the last response, then the connection lingers")
    func parseError() {
        var harness = Harness()
        #expect(
            harness.read("GET / HTTP/1.1\r\nHost: t\r\n Folded\r\n\r\n", at: 1)
                == [.send(0, status: 400, close: true), .flush])
        #expect(harness.sent.map(\.method) == ["-"])
        #expect(harness.read("more", at: 1.5) == [])
        #expect(harness.drained(at: 2) == [.shutdownWrite, .setTimer(4)])
    }

    @Test("a parse error behind a request in flight waits for that request's response")
    func parseErrorBehindRequest() {
        var harness = Harness()
        #expect(harness.read(get("/a") + "GET / HTTP/2.0\r\nHost: t\r\n\r\n", at: 1) == [.deliver(0, "GET /a")])
        #expect(
            harness.respond(0) == [
                .send(0, status: 200, close: false), .send(1, status: 505, close: true),
                .flush
            ])
    }

    @Test("peer EOF with responses pending: reading pauses, the last response says close, then close")
    func peerClosedWithPending() {
        var harness = Harness()
        _ = harness.read(get("/a") + get("/b"), at: 1)
        #expect(harness.on(.peerClosed(at: t(2))) == [.pauseReading])
        #expect(harness.state == .finishing(.init(peerClosed: true)))
        #expect(harness.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.drained(at: 3) == [])
        #expect(harness.respond(1) == [.send(1, status: 200, close: true), .flush])
        #expect(harness.drained(at: 4) == [.close])
    }

    @Test("peer EOF while idle closes at once, without pausing reading first")
    func peerClosedIdle() {
        var harness = Harness()
        #expect(harness.on(.peerClosed(at: t(1))) == [.close])
        #expect(harness.state == .closed)
    }

    @Test("peer EOF while a response is still being written: close once it is out")
    func peerClosedWhileWriting() {
        var harness = Harness()
        _ = harness.read(get("/a"), at: 1)
        _ = harness.respond(0)
        #expect(harness.blocked(at: 2) == [.watchWritable])
        #expect(harness.on(.peerClosed(at: t(3))) == [.pauseReading])
        #expect(harness.on(.writable) == [.flush])
        #expect(harness.drained(at: 4) == [.stopWatchingWritable, .close])
    }

    @Test("read and write failures and a forced close close at once; every later event is ignored")
    func failures() {
        for event in [Machine.Event.readFailed, .writeFailed, .forceClose] {
            var harness = Harness()
            _ = harness.read(get("/a"), at: 1)
            _ = harness.respond(0)
            #expect(harness.on(event) == [.close])
            #expect(harness.machine.waitingFor == .closed)
            #expect(harness.drained(at: 2) == [])
            #expect(harness.read(get("/b"), at: 3) == [])
            #expect(harness.timer(at: 100) == [])
            #expect(harness.on(.shutdown) == [])
        }
    }
}
