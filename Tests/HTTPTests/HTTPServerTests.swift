import Dispatch
import Foundation
import Glibc
import HTTP
import Testing

@Suite("HTTP server, live on 127.0.0.1")
struct HTTPServerTests {
    @Test("keep-alive: several requests on one connection, with Date, Server and Content-Length")
    func keepAlive() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        for index in 0..<5 {
            let post = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nping"
            try client.send(index == 2 ? post : get("/hello"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.reason == "OK")
            #expect(response.text == (index == 2 ? "ping" : "hello"))
            #expect(response.header("Server") == "glassbox")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Content-Length") == String(response.body.count))
            #expect(response.header("Connection") == nil)
        }
        withExtendedLifetime(client) { #expect(server.server.openConnections == 1) }
        #expect(server.accessLog.all.first?.hasPrefix("GET /hello 200 5 ") == true)
    }

    @Test("pipelined requests are answered in request order though the handlers respond out of order")
    func pipeliningOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(get("/gate/one") + get("/gate/two") + get("/hello") + get("/gate/three"))
        #expect(server.gates.waitForCalls(["one", "two", "three"]))
        server.gates.release("three", "3")
        server.gates.release("two", "2")
        server.gates.release("one", "1")
        #expect(try (0..<4).map { _ in try client.readResponse().text } == ["1", "2", "hello", "3"])
        // Still usable afterwards.
        try client.send(get("/hello"))
        #expect(try client.readResponse().text == "hello")
    }

    @Test("pipelining beyond maxPipelinedRequests waits for room and still answers every request in order")
    func pipelineLimit() throws {
        let server = try TestServer { $0.maxPipelinedRequests = 2 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send((0..<40).map { get("/big?n=\($0)") }.joined())
        for index in 0..<40 {
            #expect(try client.readResponse().body.count == index)
        }
    }

    @Test("HEAD has GET's headers and Content-Length and no body")
    func head() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("HEAD /big?n=1000 HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse(head: true)
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "1000")
        try client.send(get("/hello")) // a stray body would be read as this response's status line
        #expect(try client.readResponse().text == "hello")
    }

    @Test("HTTP/1.0 closes unless keep-alive; Connection: close closes")
    func connectionHandling() throws {
        let server = try TestServer()
        defer { server.stop() }
        let old = try RawClient(port: server.port)
        try old.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try old.readResponse()
        #expect(response.header("Connection") == "close")
        #expect(try old.isClosedByServer())

        let kept = try RawClient(port: server.port)
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().text == "hello")

        let closing = try RawClient(port: server.port)
        try closing.send(get("/hello", "Connection: close\r\n") + get("/hello"))
        #expect(try closing.readResponse().header("Connection") == "close")
        #expect(try closing.isClosedByServer())
    }

    @Test("a client that half-closes after pipelining still gets every response")
    func halfClose() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(get("/delay?ms=50") + get("/hello"))
        shutdown(client.fd, Int32(SHUT_WR))
        #expect(try client.readResponse().text == "delayed")
        let last = try client.readResponse()
        #expect(last.text == "hello")
        #expect(last.header("Connection") == "close")
        #expect(try client.isClosedByServer())
    }

    @Test(
        "error statuses over the wire: JSON body, connection closed",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: t\r\n Folded\r\n\r\n", 400, "bad_request"),
            ("POST /echo HTTP/1.1\r\nHost: t\r\n\r\n", 411, "length_required"),
            ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505, "http_version_not_supported"),
            ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: t\r\n\r\n", 414, "uri_too_long"),
            (
                "GET / HTTP/1.1\r\nHost: t\r\nX: \(String(repeating: "a", count: 17000))\r\n\r\n", 431,
                "header_fields_too_large"
            ),
            ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\nabc", 413, "content_too_large")
        ])
    func errors(request: String, status: Int, code: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == status)
        #expect(response.errorCode == code)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("Connection") == "close")
        #expect(try client.isClosedByServer())
    }

    @Test("default header fields go on every answer that lacks them, the server's own errors too; peer address")
    func defaultHeaders() throws {
        let server = try TestServer { $0.defaultHeaders = [("X-Frame-Options", "DENY"), ("X-Test", "yes")] }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(get("/hello"))
        let hello = try client.readResponse()
        #expect(hello.header("X-Frame-Options") == "DENY" && hello.header("X-Test") == "yes")
        try client.send(get("/peer"))
        let peer = try client.readResponse()
        #expect(peer.text == "127.0.0.1")
        #expect(peer.header("X-Frame-Options") == "SAMEORIGIN" && peer.header("X-Test") == "yes")
        try client.send("GET /hello HTTP/1.1\r\nHost t\r\n\r\n") // a malformed header line
        let malformed = try client.readResponse()
        #expect(malformed.status == 400 && malformed.header("X-Test") == "yes")
    }

    @Test("404 and 405 with Allow from the router; the connection stays open")
    func routing() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(get("/nothing"))
        let missing = try client.readResponse()
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        try client.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let wrong = try client.readResponse()
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, HEAD")
        try client.send(get("/hello"))
        #expect(try client.readResponse().status == 200)
    }

    @Test("a chunked upload, and Expect: 100-continue gets an interim 100")
    func uploads() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("PUT /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
        try client.send("3;x=y\r\nefg\r\n0\r\n\r\n")
        #expect(try client.readResponse().text == "abcdefg")
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse(head: true)
        #expect(interim.status == 100)
        try client.send("12345")
        #expect(try client.readResponse().text == "12345")
    }

    @Test("a large response body arrives intact through a slow reader")
    func largeBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let size = 24 << 20
        try client.send(get("/big?n=\(size)"))
        Thread.sleep(forTimeInterval: 0.2) // let the socket buffers fill so the server must wait for writability
        let response = try client.readResponse()
        #expect(response.body.count == size)
        #expect(Data(response.body) == TestServer.pattern(size))
    }

    @Test("headers trickled in slowly within the deadline are fine")
    func slowButInTime() throws {
        let server = try TestServer { $0.headerTimeout = 10 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        for byte in get("/hello").utf8 {
            try client.send([byte])
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(try client.readResponse().text == "hello")
    }

    @Test("a head or body that doesn't arrive in time gets 408 and a close")
    func timeouts() throws {
        let server = try TestServer {
            $0.headerTimeout = 1
            $0.bodyTimeout = 1
        }
        defer { server.stop() }
        let slowHead = try RawClient(port: server.port)
        try slowHead.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
        let slowBody = try RawClient(port: server.port)
        try slowBody.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        for client in [slowHead, slowBody] {
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.errorCode == "request_timeout")
            #expect(try client.isClosedByServer())
        }
    }

    @Test("an idle keep-alive connection is closed silently after idleTimeout")
    func idleTimeout() throws {
        let server = try TestServer { $0.idleTimeout = 1.5 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(get("/hello"))
        #expect(try client.readResponse().status == 200)
        #expect(try client.readToEnd().isEmpty)
        #expect(server.waitForConnections(0))
    }

    @Test("300 idle and 100 half-sent connections don't stop a normal request from being answered")
    func manyIdleConnections() throws {
        // Long deadlines: on a loaded machine (tests run in parallel) the half-sent ones must not time out meanwhile.
        let server = try TestServer {
            $0.headerTimeout = 300
            $0.idleTimeout = 300
        }
        defer { server.stop() }
        var idle: [RawClient] = []
        for index in 0..<400 {
            let client = try RawClient(port: server.port)
            if index >= 300 { try client.send("GET /hello HTTP/1.1\r\nHo") }
            idle.append(client)
        }
        #expect(server.waitForConnections(400))
        let start = DispatchTime.now()
        let client = try RawClient(port: server.port)
        try client.send(get("/hello"))
        let response = try client.readResponse()
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        print("request latency with 400 idle connections open: \(String(format: "%.2f", milliseconds)) ms")
        #expect(response.text == "hello")
        withExtendedLifetime(client) {
            #expect(server.server.openConnections == 401)
            idle.removeAll()
            #expect(server.waitForConnections(1))
        }
    }

    @Test("beyond maxConnections: 503 with Retry-After and a close")
    func connectionLimit() throws {
        let server = try TestServer { $0.maxConnections = 3 }
        defer { server.stop() }
        let held = try (0..<3).map { _ in try RawClient(port: server.port) }
        #expect(server.waitForConnections(3))
        let extra = try RawClient(port: server.port)
        let response = try extra.readResponse()
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "1")
        #expect(response.errorCode == "service_unavailable")
        #expect(try extra.isClosedByServer())
        try held[0].send(get("/hello"))
        #expect(try held[0].readResponse().status == 200)
    }

    @Test("graceful stop: accepting stops, the in-flight response is finished, idle connections close")
    func gracefulStop() throws {
        // Long deadlines: on a loaded machine no connection may close for any reason but the stop.
        let server = try TestServer {
            $0.headerTimeout = 300
            $0.idleTimeout = 300
        }
        let busy = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        try busy.send(get("/gate/inflight"))
        #expect(server.gates.waitForCalls(["inflight"]))
        #expect(server.waitForConnections(2)) // the idle one is accepted, not still in the listen backlog
        let stopped = DispatchSemaphore(value: 0)
        // A thread of its own: a busy global queue (tests run in parallel) must not delay the stop.
        Thread {
            server.stop(gracePeriod: 60)
            stopped.signal()
        }.start()
        #expect(try idle.isClosedByServer())
        #expect(Self.eventually { (try? RawClient(port: server.port)) == nil }, "new connections are refused")
        server.gates.release("inflight", "finished")
        let response = try busy.readResponse()
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        #expect(try busy.isClosedByServer())
        #expect(stopped.wait(timeout: .now() + 60) == .success)
        #expect(server.server.openConnections == 0)
    }

    /// Polls `condition` every 10 ms for up to 20 s.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    @Test("stop gives up on a handler that never responds after the grace period")
    func stopAfterGracePeriod() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        try client.send(get("/never"))
        #expect(server.gates.waitForCalls(["never"]))
        server.stop(gracePeriod: 0.2)
        #expect(server.server.openConnections == 0)
        #expect(try client.readToEnd().isEmpty)
    }

    @Test("binding a port in use is an HTTPServerError")
    func portInUse() throws {
        let server = try TestServer()
        defer { server.stop() }
        var configuration = HTTPServerConfiguration()
        configuration.port = server.port
        let second = HTTPServer(configuration: configuration) { _, respond in respond(HTTPResponse(status: 200)) }
        #expect(throws: HTTPServerError.self) { try second.start() }
    }
}

@Suite("HTTP server signals")
struct HTTPServerSignalTests {
    @Test("runUntilSignalled returns the signal after stopping the server")
    func signalled() throws {
        let server = try TestServer()
        let finished = DispatchSemaphore(value: 0)
        let result = Lines()
        // SIGUSR2 rather than SIGTERM, so the test process's own SIGTERM handling is left alone. Until the signal
        // source is installed the signal is ignored, so it is sent repeatedly.
        signal(SIGUSR2, SIG_IGN)
        DispatchQueue.global().async {
            let number = HTTPServer.runUntilSignalled(server.server, gracePeriod: 1, signals: [SIGUSR2])
            result.append(String(number))
            finished.signal()
        }
        var attempts = 0
        while finished.wait(timeout: .now() + .milliseconds(50)) == .timedOut && attempts < 400 {
            kill(getpid(), SIGUSR2)
            attempts += 1
        }
        #expect(result.all == [String(SIGUSR2)])
        #expect(throws: RawClientError.self) { try RawClient(port: server.port) }
    }
}
