import Foundation
import HTTP
import Testing

/// Feeds `bytes` to a parser `piece` bytes at a time and collects every request (or the first error).
private func parse(_ bytes: [UInt8], piece: Int, parser: HTTPRequestParser = HTTPRequestParser())
    throws(HTTPParseError) -> [HTTPRequest]
{
    var parser = parser
    var requests: [HTTPRequest] = []
    var start = 0
    while start < bytes.count {
        let end = min(start + piece, bytes.count)
        parser.append(bytes[start..<end])
        while let request = try parser.next() { requests.append(request) }
        start = end
    }
    return requests
}

/// The requests when fed all at once, checked to be the same when fed one byte at a time and in 7-byte pieces.
private func parseEveryWay(_ text: String, parser: HTTPRequestParser = HTTPRequestParser()) throws -> [HTTPRequest] {
    let bytes = Array(text.utf8)
    let whole = try parse(bytes, piece: bytes.count, parser: parser)
    for piece in [1, 7] {
        let pieces = try parse(bytes, piece: piece, parser: parser)
        #expect(pieces.map(\.target) == whole.map(\.target))
        #expect(pieces.map(\.body) == whole.map(\.body))
        #expect(pieces.map { Array($0.headers.map(\.name)) } == whole.map { Array($0.headers.map(\.name)) })
    }
    return whole
}

/// The error for `text`, which must be the same fed at once and byte by byte.
private func parseError(_ text: String, parser: HTTPRequestParser = HTTPRequestParser()) -> HTTPParseError? {
    let bytes = Array(text.utf8)
    var errors: [HTTPParseError?] = []
    for piece in [bytes.count, 1] {
        do {
            _ = try parse(bytes, piece: piece, parser: parser)
            errors.append(nil)
        } catch {
            errors.append(error)
        }
    }
    #expect(errors[0]?.status == errors[1]?.status, "whole vs byte by byte: \(errors)")
    return errors[0]
}

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    @Test("a GET with headers and a query, whole and byte by byte")
    func simpleGet() throws {
        let requests = try parseEveryWay(
            "GET /api/runs/ab12/graph?threshold=0.04&target=all HTTP/1.1\r\nHost: localhost\r\nAccept:  */* \r\n\r\n")
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.target == "/api/runs/ab12/graph?threshold=0.04&target=all")
        #expect(request.path == "/api/runs/ab12/graph")
        #expect(request.queryValue("threshold") == "0.04")
        #expect(request.queryValue("target") == "all")
        #expect(request.version == "HTTP/1.1")
        #expect(request.headers["accept"] == "*/*")
        #expect(request.headers["HOST"] == "localhost")
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test("pipelined requests come out one by one in order, leftovers stay for the next")
    func pipelined() throws {
        let text =
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "DELETE /d HTTP/1.1\r\nHost: x\r\n\r\n"
        let requests = try parseEveryWay(text)
        #expect(requests.map(\.method) == ["GET", "POST", "PUT", "DELETE"])
        #expect(requests.map(\.path) == ["/a", "/b", "/c", "/d"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["", "hello", "abc", ""])

        var parser = HTTPRequestParser()
        parser.append(Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HT".utf8))
        #expect(try parser.next()?.path == "/a")
        #expect(try parser.next() == nil)
        #expect(parser.phase == .head)
        #expect(parser.bufferedByteCount == 9)
        parser.append(Array("TP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try parser.next()?.path == "/b")
        #expect(parser.phase == .idle)
    }

    @Test("chunked bodies: hex sizes, extensions ignored, trailers skipped")
    func chunked() throws {
        let text =
            "POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\nA \r\n, world!!!\r\n1;a=b;c\r\n.\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
        let requests = try parseEveryWay(text)
        #expect(requests.count == 2)
        #expect(String(decoding: requests[0].body, as: UTF8.self) == "hello, world!!!.")
        #expect(requests[0].headers["X-Trailer"] == nil)
        #expect(requests[1].path == "/next")
    }

    @Test("bare LF line ends, empty lines before the request line, HTTP/1.0 without Host")
    func lenientFraming() throws {
        let requests = try parseEveryWay(
            "\r\n\nGET /x HTTP/1.0\nUser-Agent: t\n\nPOST /y HTTP/1.1\nHost: h\nContent-Length: 2\n\nok")
        #expect(requests.map(\.path) == ["/x", "/y"])
        #expect(requests[0].keepAlive == false)
        #expect(requests[1].body == Data("ok".utf8))
    }

    @Test("equal Content-Length values are one length; no body for GET without length")
    func contentLength() throws {
        let requests = try parseEveryWay(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3, 3\r\n\r\nabc"
                + "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(requests.map(\.body) == [Data("abc".utf8), Data()])
        #expect(requests.map(\.method) == ["POST", "GET"])
    }

    @Test(
        "malformed requests get their status and JSON error code",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nX: a\u{01}b\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: x\r\n\r\n", 411),
            ("PUT /x HTTP/1.1\r\nHost: x\r\n\r\n", 411),
            ("PATCH /x HTTP/1.1\r\nHost: x\r\n\r\n", 411),
            ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
            ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
            ("GET / HTTP/0.9\r\n\r\n", 505),
            ("GET / HTTP/1\r\nHost: x\r\n\r\n", 400),
            ("GET / http/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /\r\n\r\n", 400),
            ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400),
            ("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET index.html HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /a%2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /?q=%g0 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /caf\u{e9} HTTP/1.1\r\nHost: x\r\n\r\n", 400)
        ])
    func malformed(text: String, status: Int) throws {
        let error = try #require(parseError(text), "accepted: \(text.debugDescription)")
        #expect(error.status == status, "\(text.debugDescription): \(error)")
        let codes = [
            400: "bad_request", 411: "length_required", 501: "not_implemented",
            505: "http_version_not_supported"
        ]
        #expect(error.code == codes[status])
        let body = try #require(try JSONSerialization.jsonObject(with: error.response.body) as? [String: Any])
        let inner = try #require(body["error"] as? [String: Any])
        #expect(inner["code"] as? String == codes[status])
        #expect(error.response.status == status)
    }

    @Test("after an error the parser stays failed")
    func staysFailed() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test("OPTIONS * is the only non-slash target")
    func asterisk() throws {
        let request = try #require(try parseEveryWay("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").first)
        #expect(request.path == "*")
        #expect(request.target == "*")
    }

    @Test("414 when the request line passes 8192 bytes, not at 8192")
    func requestLineLimit() throws {
        let prefix = "GET /", suffix = " HTTP/1.1"
        let fill = 8192 - prefix.count - suffix.count
        let exact = prefix + String(repeating: "a", count: fill) + suffix
        #expect(exact.utf8.count == 8192)
        #expect(try parseEveryWay(exact + "\r\nHost: x\r\n\r\n").count == 1)
        let over = prefix + String(repeating: "a", count: fill + 1) + suffix
        #expect(parseError(over + "\r\nHost: x\r\n\r\n")?.status == 414)
        // Without the line end yet: known as soon as the line can no longer fit.
        var parser = HTTPRequestParser()
        parser.append(Array((prefix + String(repeating: "a", count: 9000)).utf8))
        #expect(throws: HTTPParseError(status: 414, message: "the request line is longer than 8192 bytes")) {
            try parser.next()
        }
    }

    @Test("431 when the head passes maxHeaderBytes, not at it")
    func headLimit() throws {
        let limit = 200
        let parser = HTTPRequestParser(maxHeaderBytes: limit)
        let start = "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: "
        let fill = limit - start.utf8.count - 4 // value, CRLF, final CRLF
        let exact = start + String(repeating: "v", count: fill) + "\r\n\r\n"
        #expect(exact.utf8.count == limit)
        #expect(try parseEveryWay(exact, parser: parser).count == 1)
        let over = start + String(repeating: "v", count: fill + 1) + "\r\n\r\n"
        let error = try #require(parseError(over, parser: parser))
        #expect(error.status == 431)
        #expect(error.code == "header_fields_too_large")
        // Many small fields count too, and an endless head fails without waiting for its end.
        var endless = parser
        endless.append(Array(("GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 40)).utf8))
        #expect(throws: HTTPParseError.self) { try endless.next() }
    }

    @Test("413 by Content-Length before the body, and while reading chunks; the limit itself is fine")
    func bodyLimit() throws {
        let parser = HTTPRequestParser(maxBodyBytes: 10)
        let ten = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"
        #expect(try parseEveryWay(ten, parser: parser).first?.body.count == 10)
        #expect(parseError("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", parser: parser)?.status == 413)
        #expect(
            parseError(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                parser: parser)?.status == 413)
        let chunked = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(
            try parseEveryWay(chunked + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", parser: parser).first?.body.count
                == 10)
        let error = try #require(parseError(chunked + "5\r\n01234\r\n6\r\n", parser: parser))
        #expect(error.status == 413)
        #expect(error.code == "content_too_large")
        #expect(parseError(chunked + "fffffffffffffffffff\r\n", parser: parser)?.status == 413)
    }

    @Test("phases and Expect: 100-continue")
    func phases() throws {
        var parser = HTTPRequestParser()
        #expect(parser.phase == .idle)
        parser.append(Array("POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.phase == .head)
        #expect(parser.takeContinueRequest() == false)
        parser.append(Array("Content-Length: 4\r\n\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.phase == .body)
        #expect(parser.takeContinueRequest() == true)
        #expect(parser.takeContinueRequest() == false)
        parser.append(Array("body".utf8))
        #expect(try parser.next()?.body == Data("body".utf8))
        #expect(parser.phase == .idle)
    }

    @Test("keep-alive by version and Connection header")
    func keepAlive() throws {
        func request(_ version: String, _ connection: String?) throws -> HTTPRequest {
            try HTTPRequest(
                method: "GET", target: "/", version: version,
                headers: HTTPHeaders(connection.map { [("Connection", $0)] } ?? []))
        }
        #expect(try request("HTTP/1.1", nil).keepAlive)
        #expect(try request("HTTP/1.1", "Close").keepAlive == false)
        #expect(try request("HTTP/1.1", "keep-alive, close").keepAlive == false)
        #expect(try request("HTTP/1.0", nil).keepAlive == false)
        #expect(try request("HTTP/1.0", "Keep-Alive").keepAlive)
    }
}
