import Foundation
import HTTP
import Testing

/// The connection state machine's deadlines (header, body, idle, write stall, linger), 100-continue and shutdown,
/// with the time passed in: header 10 s, body 30 s, idle 60 s unless a test says otherwise.
@Suite("Connection state machine: deadlines and shutdown")
struct ConnectionStateMachineDeadlineTests {
    @Test("an idle connection closes silently at idleTimeout after its last activity")
    func idle() {
        var harness = Harness()
        #expect(harness.read(get("/a"), at: 1) == [.deliver(0, "GET /a")])
        #expect(harness.timer(at: 60) == [], "handlers at work: no deadline, the timer is left unset")
        #expect(harness.machine.timerDeadline == .never)
        _ = harness.respond(0)
        #expect(harness.drained(at: 70) == [.setTimer(130)])
        #expect(harness.timer(at: 129.9) == [.setTimer(130)])
        #expect(harness.timer(at: 130) == [.close])
    }

    @Test("the head must be complete headerTimeout after its first byte, however it trickles: else 408 and close")
    func headTimeout() {
        var harness = Harness()
        #expect(harness.read("GET /a HT", at: 1) == [.setTimer(11)])
        #expect(harness.machine.waitingFor == .head(until: t(11)))
        #expect(harness.read("TP/1.1\r\n", at: 5) == [], "more bytes don't move the head deadline")
        #expect(harness.timer(at: 11) == [.send(0, status: 408, close: true), .flush])
        #expect(String(decoding: harness.sent[0].response.body, as: UTF8.self).contains("request head"))
        #expect(harness.drained(at: 11) == [.shutdownWrite, .setTimer(13)])
        #expect(harness.read(get("/b"), at: 12) == [], "lingering: input dropped")
        #expect(harness.timer(at: 13) == [.close])
    }

    @Test("the body must arrive bodyTimeout after the head; a timer set for the head deadline moves on to it")
    func bodyTimeout() {
        var harness = Harness()
        #expect(harness.read("POST /echo HTTP/1.1\r\n", at: 1) == [.setTimer(11)])
        #expect(harness.read("Host: t\r\nContent-Length: 10\r\n\r\nabc", at: 5) == [])
        #expect(harness.machine.waitingFor == .body(until: t(35)))
        #expect(harness.timer(at: 11) == [.setTimer(35)])
        #expect(harness.timer(at: 35) == [.send(0, status: 408, close: true), .flush])
        #expect(String(decoding: harness.sent[0].response.body, as: UTF8.self).contains("request body"))
    }

    @Test("a request whose body arrives in time is delivered, its deadline gone")
    func bodyInTime() {
        var harness = Harness()
        #expect(harness.read("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab", at: 1) == [.setTimer(31)])
        #expect(harness.read("cde", at: 20) == [.deliver(0, "POST /echo")])
        #expect(harness.machine.waitingFor == .handlers)
    }

    @Test("Expect: 100-continue gets an interim 100 when nothing is ahead of it; its body deadline follows")
    func continueInterim() {
        var harness = Harness()
        let head = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        #expect(harness.read(head, at: 1) == [.sendContinue, .flush])
        #expect(harness.drained(at: 1, sent: 25) == [.setTimer(31)])
        #expect(harness.read("12345", at: 2) == [.deliver(0, "POST /echo")])

        var pipelined = Harness()
        #expect(
            pipelined.read(get("/a") + head, at: 1) == [.deliver(0, "GET /a"), .setTimer(31)],
            "a response is owed first: no interim 100")
    }

    @Test("a peer not reading its response is closed idleTimeout after the last write that moved bytes")
    func writeStall() {
        var harness = Harness()
        _ = harness.read(get("/a"), at: 1)
        #expect(harness.respond(0) == [.send(0, status: 200, close: false), .flush])
        #expect(harness.blocked(at: 2) == [.watchWritable])
        #expect(harness.timer(at: 60) == [.setTimer(62)])
        #expect(harness.on(.writable) == [.flush])
        #expect(harness.blocked(at: 30, sent: 0) == [], "no progress: the deadline stays")
        #expect(harness.on(.writable) == [.flush])
        #expect(harness.blocked(at: 50, sent: 10) == [])
        #expect(harness.machine.waitingFor == .writeStall(until: t(110)))
        #expect(harness.timer(at: 62) == [.setTimer(110)])
        #expect(harness.timer(at: 110) == [.close])
    }

    @Test("shutdown while idle closes at once")
    func shutdownIdle() {
        var harness = Harness()
        #expect(harness.on(.shutdown) == [.close])
    }

    @Test("shutdown with a request in flight: later bytes dropped, its response says close, then close, no linger")
    func shutdownInFlight() {
        var harness = Harness()
        _ = harness.read(get("/a"), at: 1)
        #expect(harness.on(.shutdown) == [])
        #expect(harness.state == .finishing(.init(shuttingDown: true)))
        #expect(harness.read(get("/b"), at: 2) == [])
        #expect(harness.respond(0) == [.send(0, status: 200, close: true), .flush])
        #expect(harness.drained(at: 3) == [.close])
    }

    @Test("shutdown while the last response is still being written closes once it is out")
    func shutdownWhileWriting() {
        var harness = Harness()
        _ = harness.read(get("/a"), at: 1)
        _ = harness.respond(0)
        #expect(harness.blocked(at: 2) == [.watchWritable])
        #expect(harness.on(.shutdown) == [])
        #expect(harness.state == .flushing(.init(shuttingDown: true)))
        #expect(harness.on(.writable) == [.flush])
        #expect(harness.drained(at: 3) == [.stopWatchingWritable, .close])
    }

    @Test("lingering: input dropped, closed at the peer's EOF, at the linger deadline, or when the server stops")
    func lingering() {
        func lingeringHarness() -> Harness {
            var harness = Harness()
            _ = harness.read(get("/a", "Connection: close\r\n"), at: 1)
            _ = harness.respond(0)
            #expect(harness.drained(at: 2) == [.shutdownWrite, .setTimer(4)])
            return harness
        }
        var eof = lingeringHarness()
        #expect(eof.read("late bytes", at: 3) == [])
        #expect(eof.timer(at: 3) == [.setTimer(4)])
        #expect(eof.on(.peerClosed(at: t(3))) == [.close])
        var timeout = lingeringHarness()
        #expect(timeout.timer(at: 4) == [.close])
        var stopped = lingeringHarness()
        #expect(stopped.on(.shutdown) == [.close])
    }

    @Test("a lingering connection whose reading was paused resumes reading to drain the input")
    func lingerResumesReading() {
        var harness = Harness { $0.maxPipelinedRequests = 1 }
        #expect(harness.read(get("/a") + get("/b"), at: 1) == [.deliver(0, "GET /a"), .pauseReading])
        #expect(
            harness.respond(0, headers: [("Connection", "close")]) == [
                .send(0, status: 200, close: true),
                .flush
            ])
        #expect(harness.drained(at: 2) == [.shutdownWrite, .resumeReading, .setTimer(4)])
    }
}
