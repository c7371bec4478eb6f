import Foundation
import HTTP
import Testing

@Suite("HTTP messages")
struct HTTPMessageTests {
    @Test("headers: ordered, case-insensitive, set replaces all, add keeps")
    func headers() {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Set-Cookie", "a=1")])
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
        headers.add("X", "1")
        headers.set("SET-COOKIE", "c=3")
        #expect(headers.map(\.name) == ["Content-Type", "SET-COOKIE", "X"])
        #expect(headers.values("Set-Cookie") == ["c=3"])
        headers.set("New", "v")
        #expect(headers["new"] == "v")
        headers.remove("x")
        #expect(headers["X"] == nil)
        #expect(headers.count == 3)
        #expect(
            HTTPHeaders([("Connection", "Keep-Alive,  Upgrade"), ("connection", "close")]).tokens("Connection")
                == ["keep-alive", "upgrade", "close"])
    }

    @Test("query decoding: + is a space, percent-escapes, repeated and valueless names, in order")
    func query() throws {
        let request = try HTTPRequest(method: "GET", target: "/p%20q/r?a=1+2&b=%C3%A9%26&a=3&flag&=v&&c=x=y")
        #expect(request.path == "/p q/r")
        #expect(request.query.map(\.name) == ["a", "b", "a", "flag", "", "c"])
        #expect(request.query.map(\.value) == ["1 2", "é&", "3", "", "v", "x=y"])
        #expect(request.queryValue("a") == "1 2")
        #expect(request.queryValue("missing") == nil)
        #expect(try HTTPRequest(method: "GET", target: "/a+b").path == "/a+b")
    }

    @Test("request targets that are refused", arguments: ["", "a", "http://x/", "/%", "/%4", "/%00", "/%c3", "/?x=%zz"])
    func badTargets(target: String) {
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: target) }
    }

    @Test("error bodies: exact JSON, escaping of quotes, backslashes and control characters")
    func errorBody() throws {
        let plain = HTTPResponse.error(404, code: "not_found", message: "no run abc")
        #expect(
            String(decoding: plain.body, as: UTF8.self)
                == #"{"error":{"code":"not_found","message":"no run abc"}}"#)
        #expect(plain.headers["Content-Type"] == "application/json")
        #expect(plain.status == 404)

        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} del \u{7F} é 🦙 \u{2028}"
        let response = HTTPResponse.error(
            400, code: "bad_request", message: tricky,
            details: ["z": "last", "a": "first \"x\""])
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(
            text == #"{"error":{"code":"bad_request","message":"quote \" backslash \\ newline \n tab \t bell "#
                + #"\u0007 del \u007f é 🦙 \u2028","details":{"a":"first \"x\"","z":"last"}}}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["message"] as? String == tricky)
        #expect(error["details"] as? [String: String] == ["z": "last", "a": "first \"x\""])
    }

    @Test("405 responses carry Allow; json() sets the content type")
    func helpers() {
        let response = HTTPResponse.methodNotAllowed("PUT", allowed: ["GET", "HEAD"])
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(HTTPResponse.json(201, Data("{}".utf8)).headers["content-type"] == "application/json")
        #expect(HTTPResponse.notFound("/x").status == 404)
        #expect(HTTPStatus.reasonPhrase(431) == "Request Header Fields Too Large")
        #expect(HTTPStatus.errorCode(414) == "uri_too_long")
    }
}
