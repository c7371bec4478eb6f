import Dispatch
import Foundation
import Glibc
import HTTP
import Synchronization
import Testing

/// The readiness a watch's handler was called with, in order.
private final class Reports: Sendable {
    private let items = Mutex<[SocketPoller.Events]>([])

    func append(_ events: SocketPoller.Events) {
        items.withLock { $0.append(events) }
    }

    var all: [SocketPoller.Events] { items.withLock { $0 } }

    /// Waits (bounded) until there are `count` reports; false if there weren't within `seconds`.
    func wait(for count: Int, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if all.count >= count { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }
}

/// A connected pair of Unix stream sockets.
private func socketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
        throw RawClientError(description: "socketpair: \(String(cString: strerror(errno)))")
    }
    return (fds[0], fds[1])
}

private func sendByte(_ fd: Int32) {
    var byte: UInt8 = 1
    _ = send(fd, &byte, 1, Int32(MSG_NOSIGNAL))
}

/// How long to wait for something that must not happen.
private let quiet = 0.1

@Suite("HTTP socket poller")
struct SocketPollerTests {
    private let poller = SocketPoller.shared
    private let queue = DispatchQueue(label: "glassbox.test.poller")

    @Test("a watch reports once per arming, and only what it was armed for")
    func oneShot() throws {
        let (local, peer) = try socketPair()
        defer {
            close(local)
            close(peer)
        }
        let reports = Reports()
        let watch = poller.add(local, queue: queue) { reports.append($0) }
        defer { poller.remove(watch) }
        poller.arm(watch, .readable)
        Thread.sleep(forTimeInterval: quiet)
        #expect(reports.all.isEmpty)
        sendByte(peer)
        #expect(reports.wait(for: 1))
        Thread.sleep(forTimeInterval: quiet) // still readable, but not armed again
        #expect(reports.all == [.readable])
        poller.arm(watch, [.readable, .writable])
        #expect(reports.wait(for: 2))
        #expect(reports.all.last == [.readable, .writable])
    }

    /// The case Dispatch sources mishandled (a hang-up: our FIN and the peer's), here without a server.
    @Test("a hang-up wakes a watch armed for reading; a watch armed for nothing stays quiet until armed")
    func hangUp() throws {
        for armedFirst in [true, false] {
            let (local, peer) = try socketPair()
            defer { close(local) }
            let reports = Reports()
            let watch = poller.add(local, queue: queue) { reports.append($0) }
            defer { poller.remove(watch) }
            if armedFirst { poller.arm(watch, .readable) }
            _ = shutdown(local, Int32(SHUT_WR))
            close(peer)
            if !armedFirst {
                Thread.sleep(forTimeInterval: quiet)
                #expect(reports.all.isEmpty)
                poller.arm(watch, .readable)
            }
            #expect(reports.wait(for: 1))
            #expect(reports.all == [.readable])
            var byte: UInt8 = 0
            #expect(recv(local, &byte, 1, Int32(MSG_DONTWAIT)) == 0)
        }
    }

    @Test("a removed watch gets nothing, even once its descriptor number belongs to another socket")
    func removedWatch() throws {
        let (old, oldPeer) = try socketPair()
        defer { close(oldPeer) }
        let stale = Reports()
        let staleWatch = poller.add(old, queue: queue) { stale.append($0) }
        poller.arm(staleWatch, .readable)
        poller.remove(staleWatch)
        // A new socket on the old number, as a connection accepted next would get it. dup2 closes the old socket
        // and reuses its number in one step: closing it first would let another test's descriptor (the suites run
        // in parallel) take the number, and dup2 would then close that one.
        let (new, newPeer) = try socketPair()
        #expect(dup2(new, old) == old)
        close(new)
        defer {
            close(old)
            close(newPeer)
        }
        let fresh = Reports()
        let watch = poller.add(old, queue: queue) { fresh.append($0) }
        defer { poller.remove(watch) }
        poller.arm(watch, .readable)
        sendByte(newPeer)
        #expect(fresh.wait(for: 1))
        Thread.sleep(forTimeInterval: quiet)
        #expect(stale.all.isEmpty)
    }

    @Test("a socket closed after its watch is removed reaches the peer at once (poll holds it while waiting)")
    func closeAfterRemove() throws {
        let (local, peer) = try socketPair()
        defer { close(peer) }
        let watch = poller.add(local, queue: queue) { _ in }
        poller.arm(watch, .readable)
        Thread.sleep(forTimeInterval: quiet) // the poller is waiting on the socket now
        poller.remove(watch)
        close(local)
        var entry = pollfd(fd: peer, events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 5000) == 1)
        var byte: UInt8 = 0
        #expect(recv(peer, &byte, 1, Int32(MSG_DONTWAIT)) == 0)
    }

    /// The server-side view of the crash: each of these ends with a hang-up while the server watches the socket.
    @Test("connections that hang up while the server lingers, or reset, are all answered and closed promptly")
    func hangUpsAtTheServer() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        let failures = Mutex<[String]>([])
        let done = DispatchGroup()
        for worker in 0..<4 {
            done.enter()
            Thread {
                for index in 0..<300 {
                    do {
                        let client = try RawClient(port: port)
                        if index % 3 == 2 {
                            // A reset: close with SO_LINGER 0 right after asking.
                            try client.send(get("/hello"))
                            var hard = linger(l_onoff: 1, l_linger: 0)
                            setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
                            continue
                        }
                        // Malformed: 400, then the server shuts down its side and lingers until our FIN.
                        try client.send("BAD\r\n\r\n")
                        let response = try client.readResponse()
                        if response.status != 400 { throw RawClientError(description: "status \(response.status)") }
                        if try !client.isClosedByServer() { throw RawClientError(description: "not closed") }
                    } catch {
                        failures.withLock { $0.append("worker \(worker) case \(index): \(error)") }
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
        // Every lingering connection ended at the client's FIN, well before lingerTime (2 s) would have ended it.
        #expect(server.waitForConnections(0, seconds: 1))
        let client = try RawClient(port: port)
        try client.send(get("/hello"))
        #expect(try client.readResponse().text == "hello")
    }
}
