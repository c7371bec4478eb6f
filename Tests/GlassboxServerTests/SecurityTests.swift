import Foundation
import GlassboxServer
import HTTP
import Testing

/// The request gate in front of every route: hosts, origins, content types, access tokens, sessions, per-client
/// limits, and the answers' cache headers.
@Suite("Security gate")
struct SecurityTests {
    static let token = "gb_test-token-0123456789abcdef"
    static let other = "gb_other-token-fedcba9876543210"
    static let run = "{\"prompt\": \"Hello\"}"

    static func tokens(_ names: [String]) -> String {
        "\"auth\": {\"tokens\": [" + names.map { "\"" + AccessToken.storedLine(of: $0) + "\"" }.joined(separator: ", ")
            + "]}"
    }

    static func code(_ response: HTTPResponse) throws -> String? {
        (try json(response)["error"] as? [String: Any])?["code"] as? String
    }

    @Test("without tokens: foreign hosts are 421, foreign origins 403, non-JSON posts 415; the health check is open")
    func hostsAndOrigins() throws {
        let server = try ServerFixture()
        #expect(try server.call("GET", "/api/models").status == 200)
        for host in ["localhost:8080", "127.0.0.1", "127.0.0.1:9", "[::1]:8080", "LOCALHOST"] {
            #expect(try server.call("GET", "/api/models", headers: [("Host", host)]).status == 200, "\(host)")
        }
        for host in ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", "[::2]"] {
            let refused = try server.call("GET", "/api/models", headers: [("Host", host)])
            #expect(refused.status == 421, "\(host)")
            #expect(try Self.code(refused) == "misdirected_request")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("server.allowed_hosts"))
        }
        #expect(try server.call("GET", "/api/health", headers: [("Host", "evil.example")]).status == 200)

        let plain = try server.call("POST", "/api/runs", body: Self.run, headers: [("Content-Type", "text/plain")])
        #expect(plain.status == 415)
        #expect(try Self.code(plain) == "unsupported_media_type")
        let untyped = try server.call("POST", "/api/runs", body: Self.run, headers: [("Content-Type", nil)])
        #expect(untyped.status == 415)
        let form = try server.call(
            "POST", "/api/runs", body: Self.run, headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == 415)
        #expect(
            try server.call(
                "POST", "/api/runs", body: Self.run, headers: [("Content-Type", "Application/JSON; charset=utf-8")]
            ).status == 200)

        for origin in ["http://evil.example", "null", "http://localhost.evil.example", "http://localhost:1"] {
            let foreign = try server.call("POST", "/api/runs", body: Self.run, headers: [("Origin", origin)])
            #expect(foreign.status == 403, "\(origin)")
            #expect(try Self.code(foreign) == "forbidden_origin")
        }
        #expect(
            try server.call("DELETE", "/api/reports/r0000000000000000", headers: [("Origin", "http://evil.example")])
                .status == 403)
        // The server's own pages (any scheme: a TLS proxy in front) may post.
        for origin in ["http://localhost", "https://localhost"] {
            #expect(try server.call("POST", "/api/runs", body: Self.run, headers: [("Origin", origin)]).status == 200)
        }
        // Cross-origin reads are the browser's to block (no CORS header); preflights from foreign origins are 403.
        let read = try server.call("GET", "/api/models", headers: [("Origin", "http://evil.example")])
        #expect(read.status == 200 && read.headers["Access-Control-Allow-Origin"] == nil)
        let preflight = try server.call(
            "OPTIONS", "/api/runs",
            headers: [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 403)
        let counts = try json(try server.call("GET", "/api/health"))["security"] as? [String: Any]
        #expect(counts?["refused_misdirected"] as? Int == 4)
        #expect(counts?["refused_forbidden"] as? Int == 6)
        #expect(counts?["tokens_required"] as? Bool == false)
    }

    @Test("API answers are not stored by caches; the run data's too")
    func cacheHeaders() throws {
        let server = try ServerFixture()
        let id = try server.run("Hello")
        for path in ["/api/models", "/api/runs/\(id)", "/api/runs/\(id)/graph", "/api/runs/nope", "/api/health"] {
            #expect(try server.call("GET", path).headers["Cache-Control"] == "no-store", "\(path)")
        }
    }

    @Test("with tokens: 401 without or with a wrong one, WWW-Authenticate; the bearer token or a session passes")
    func tokens() throws {
        let server = try ServerFixture(extra: Self.tokens([Self.token]))
        let missing = try server.call("GET", "/api/models")
        #expect(missing.status == 401)
        #expect(try Self.code(missing) == "unauthorized")
        #expect(missing.headers["WWW-Authenticate"] == "Bearer realm=\"glassbox\"")
        for wrong in [Self.other, Self.token + "x", String(Self.token.dropLast()), ""] {
            let refused = try server.call("GET", "/api/models", headers: [("Authorization", "Bearer " + wrong)])
            #expect(refused.status == 401, "\(wrong)")
            #expect(refused.headers["WWW-Authenticate"]?.hasPrefix("Bearer realm=\"glassbox\", error=") == true)
        }
        #expect(
            try server.call("GET", "/api/models", headers: [("Authorization", "Basic dXNlcjpwYXNz")]).status == 401)
        let bearer = [("Authorization", "Bearer " + Self.token)] as [(String, String?)]
        #expect(try server.call("GET", "/api/models", headers: bearer).status == 200)
        #expect(try server.call("POST", "/api/runs", body: Self.run).status == 401)
        #expect(try server.call("POST", "/api/runs", body: Self.run, headers: bearer).status == 200)
        #expect(try server.call("GET", "/api/health").status == 200)

        // The login page's session.
        let status = try json(try server.call("GET", "/api/session"))
        #expect(status["tokens_required"] as? Bool == true && status["signed_in"] as? Bool == false)
        let wrong = try server.call("POST", "/api/session", body: "{\"token\": \"\(Self.other)\"}")
        #expect(wrong.status == 401 && wrong.headers["Set-Cookie"] == nil)
        #expect(try server.call("POST", "/api/session", body: "{}").status == 400)
        let signedIn = try server.call("POST", "/api/session", body: "{\"token\": \"\(Self.token)\"}")
        #expect(signedIn.status == 200)
        let cookie = try #require(signedIn.headers["Set-Cookie"])
        #expect(cookie.hasPrefix("glassbox_session="))
        #expect(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"))
        let session = String(cookie.split(separator: ";")[0])
        // <expiry>.<32 hex nonce>.<64 hex HMAC> (SessionStoreTests checks the signature).
        let fields = session.dropFirst("glassbox_session=".count).split(separator: ".")
        #expect(fields.count == 3 && fields[1].count == 32 && fields[2].count == 64)
        let withCookie = [("Cookie", "theme=dark; " + session)] as [(String, String?)]
        #expect(try server.call("GET", "/api/models", headers: withCookie).status == 200)
        #expect(try json(try server.call("GET", "/api/session", headers: withCookie))["signed_in"] as? Bool == true)
        let behindTLS = try server.call(
            "POST", "/api/session", body: "{\"token\": \"\(Self.token)\"}", headers: [("X-Forwarded-Proto", "https")])
        #expect(behindTLS.headers["Set-Cookie"]?.hasSuffix("; Secure") == true)

        let out = try server.call("DELETE", "/api/session", headers: withCookie)
        #expect(out.status == 200 && out.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        let ended = try server.call("GET", "/api/models", headers: withCookie)
        #expect(ended.status == 401)
        #expect(try Self.code(ended) == "session_ended")
        let forged = try server.call(
            "GET", "/api/models", headers: [("Cookie", "glassbox_session=" + String(repeating: "0", count: 64))])
        #expect(forged.status == 401)
        let counts = try json(try server.call("GET", "/api/health"))["security"] as? [String: Any]
        #expect(counts?["tokens_required"] as? Bool == true)
        #expect(counts?["refused_unauthorized"] as? Int == 9)
    }

    @Test("configured origins get CORS and may post; their preflights are answered")
    func allowedOrigins() throws {
        let server = try ServerFixture(extra: "\"server\": {\"allowed_origins\": [\"https://NB.example.org\"]}")
        let origin = [("Origin", "https://nb.example.org")] as [(String, String?)]
        let posted = try server.call("POST", "/api/runs", body: Self.run, headers: origin)
        #expect(posted.status == 200)
        #expect(posted.headers["Access-Control-Allow-Origin"] == "https://nb.example.org")
        #expect(posted.headers["Vary"] == "Origin")
        let preflight = try server.call(
            "OPTIONS", "/api/runs", headers: origin + [("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 204)
        #expect(preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type")
        #expect(
            try server.call("POST", "/api/runs", body: Self.run, headers: [("Origin", "https://nb.example.org:8443")])
                .status == 403)
    }

    @Test("allowed hosts from the configuration and the environment; * answers any")
    func allowedHosts() throws {
        let configured = try ServerFixture(
            extra: "\"server\": {\"allowed_hosts\": [\"Glassbox.Example.org\", \"::1\"]}")
        #expect(
            try configured.call("GET", "/api/models", headers: [("Host", "glassbox.example.org:443")]).status == 200)
        #expect(try configured.call("GET", "/api/models", headers: [("Host", "[::1]")]).status == 200)
        #expect(try configured.call("GET", "/api/models", headers: [("Host", "localhost")]).status == 421)
        let environment = try ServerFixture(environment: ["GLASSBOX_ALLOWED_HOSTS": "a.example, b.example"])
        #expect(try environment.call("GET", "/api/models", headers: [("Host", "b.example")]).status == 200)
        #expect(try environment.call("GET", "/api/models", headers: [("Host", "c.example")]).status == 421)
        let any = try ServerFixture(extra: "\"server\": {\"allowed_hosts\": [\"*\"]}")
        #expect(try any.call("GET", "/api/models", headers: [("Host", "anything.example")]).status == 200)
    }

    @Test("a flood from one client is 429 with Retry-After while another client's requests pass")
    func perClientLimit() throws {
        let server = try ServerFixture(limits: "{\"client_compute_per_minute\": 1, \"client_compute_burst\": 2}")
        #expect(try server.call("POST", "/api/runs", body: Self.run, peer: "10.0.0.1").status == 200)
        #expect(try server.call("POST", "/api/runs", body: Self.run, peer: "10.0.0.1").status == 200)
        let limited = try server.call("POST", "/api/runs", body: Self.run, peer: "10.0.0.1")
        #expect(limited.status == 429)
        #expect(try Self.code(limited) == "rate_limited")
        let wait = try #require(limited.headers["Retry-After"].flatMap(Int.init))
        #expect((50...60).contains(wait), "one request a minute, the bucket just emptied: \(wait) s")
        // Light requests are not counted; another peer has its own bucket.
        #expect(try server.call("GET", "/api/models", peer: "10.0.0.1").status == 200)
        #expect(try server.call("POST", "/api/runs", body: Self.run, peer: "10.0.0.2").status == 200)
        let id = try server.run("Hello")
        #expect(try server.call("GET", "/api/runs/\(id)/graph", peer: "10.0.0.1").status == 200)
        #expect(try server.call("GET", "/api/runs/\(id)/anomalies", peer: "10.0.0.1").status == 429)
        let counts = try json(try server.call("GET", "/api/health"))["security"] as? [String: Any]
        #expect(counts?["refused_rate_limited"] as? Int == 2)
        #expect(counts?["client_compute_per_minute"] as? Int == 1)
    }

    @Test("with tokens the limit is per token; behind a trusted proxy, per forwarded client")
    func limitKeys() throws {
        let server = try ServerFixture(
            limits: "{\"client_compute_per_minute\": 1, \"client_compute_burst\": 1}",
            extra: Self.tokens([Self.token, Self.other]))
        func post(_ token: String, peer: String) throws -> Int {
            try server.call(
                "POST", "/api/runs", body: Self.run, headers: [("Authorization", "Bearer " + token)], peer: peer
            ).status
        }
        #expect(try post(Self.token, peer: "10.0.0.1") == 200)
        #expect(try post(Self.token, peer: "10.0.0.2") == 429) // the same token from elsewhere
        #expect(try post(Self.other, peer: "10.0.0.1") == 200)

        let proxied = try ServerFixture(
            limits: "{\"client_compute_per_minute\": 1, \"client_compute_burst\": 1}",
            extra: "\"server\": {\"trusted_proxies\": [\"127.0.0.1\"]}")
        func forwarded(_ client: String, peer: String = "127.0.0.1") throws -> Int {
            try proxied.call(
                "POST", "/api/runs", body: Self.run, headers: [("X-Forwarded-For", "198.51.100.9, " + client)],
                peer: peer
            ).status
        }
        #expect(try forwarded("203.0.113.1") == 200)
        #expect(try forwarded("203.0.113.2") == 200)
        #expect(try forwarded("203.0.113.1") == 429)
        // An untrusted peer's X-Forwarded-For is ignored: it is limited as itself.
        #expect(try forwarded("203.0.113.3", peer: "10.9.9.9") == 200)
        #expect(try forwarded("203.0.113.4", peer: "10.9.9.9") == 429)
    }
}
