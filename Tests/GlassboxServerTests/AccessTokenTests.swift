import Foundation
import GlassboxServer
import ModelFormats
import Testing
import TestSupport

/// Access tokens at rest (digests only), their check, the token bucket, and the security keys of the configuration.
@Suite("Access tokens and limits")
struct AccessTokenTests {
    func load(_ text: String, environment: [String: String] = [:], file: String? = nil) throws -> ServerConfiguration {
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("config")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let file { try Data(file.utf8).write(to: directory.appendingPathComponent("tokens")) }
        let url = directory.appendingPathComponent("glassbox.json")
        try Data(("{\"models\": {\"m\": {\"path\": \"/nowhere\"}}, \"default_model\": \"m\"" + text + "}").utf8)
            .write(to: url)
        return try ServerConfiguration(contentsOf: url, environment: environment)
    }

    func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch { return "\(error)" }
    }

    @Test("a new token is gb_ and 64 hex digits, different each time; its stored line is the SHA-256 of its text")
    func generate() {
        let a = AccessToken.generate(), b = AccessToken.generate()
        #expect(a != b)
        #expect(a.hasPrefix("gb_") && a.count == 67 && a.dropFirst(3).allSatisfy(\.isHexDigit))
        // FIPS 180-4's "abc" example.
        #expect(
            AccessToken.storedLine(of: "abc")
                == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            AccessToken.digest(fromStored: "sha256:" + String(repeating: "A", count: 64))
                == String(repeating: "a", count: 64))
        #expect(AccessToken.digest(fromStored: "gb_0123") == nil)
        #expect(AccessToken.digest(fromStored: "sha256:abc") == nil)
    }

    @Test("the check finds which token was presented, and nothing for any other text")
    func check() {
        let tokens = ["gb_first-000000000000", "gb_second-00000000000", "gb_third-000000000000"]
        let check = TokenCheck(
            tokens.enumerated().map { AccessToken(name: "t\($0.offset)", digest: AccessToken.digest(of: $0.element)) })
        for (index, token) in tokens.enumerated() { #expect(check.match(token)?.name == "t\(index)") }
        for wrong in ["", "gb_first-00000000000", "gb_first-0000000000000", "GB_FIRST-000000000000", " gb_first"] {
            #expect(check.match(wrong) == nil, "\(wrong)")
        }
        #expect(TokenCheck([]).match(tokens[0]) == nil)
    }

    @Test("a bucket of 2 at 60 a minute: two at once, then one a second; it refills to its capacity only")
    func bucket() {
        var bucket = TokenBucket(capacity: 2, perMinute: 60, now: 100)
        #expect(bucket.take(now: 100) == nil)
        #expect(bucket.take(now: 100) == nil)
        #expect(abs((bucket.take(now: 100) ?? 0) - 1) < 1e-9)
        #expect(abs((bucket.take(now: 100.25) ?? 0) - 0.75) < 1e-9)
        #expect(bucket.take(now: 101) == nil)
        #expect(!bucket.isFull(now: 101.5) && bucket.isFull(now: 103))
        #expect(bucket.take(now: 1000) == nil && bucket.take(now: 1000) == nil && bucket.take(now: 1000) != nil)
        let limiter = ClientRateLimiter(perMinute: 60, burst: 1, capacity: 2)
        #expect(limiter.admit("a", now: 0) == nil && limiter.admit("a", now: 0.5) == 1)
        // Past its capacity the limiter forgets a bucket instead of growing.
        #expect(limiter.admit("b", now: 0.5) == nil && limiter.admit("c", now: 0.5) == nil)
        #expect(limiter.refused == 1)
        #expect(ClientRateLimiter(perMinute: 0, burst: 1).admit("a", now: 0) == nil)
    }

    @Test("tokens from auth.tokens, a tokens file and the environment; plaintext tokens are refused")
    func configuration() throws {
        let digest = AccessToken.storedLine(of: "gb_from-the-config-0000")
        let file =
            "# who holds what\n\(AccessToken.storedLine(of: "gb_from-the-file-00000")) Ada Lovelace\n\n"
            + "\(AccessToken.storedLine(of: "gb_second-in-file-0000"))   # no name\n"
        let c = try load(
            ", \"auth\": {\"tokens\": [\"\(digest)\"], \"tokens_file\": \"config/tokens\", \"session_hours\": 2}",
            environment: ["GLASSBOX_TOKEN": "gb_from-the-environment"], file: file)
        #expect(
            c.security.tokens.map(\.name) == [
                "auth.tokens[0]", "Ada Lovelace", "auth.tokens_file line 4", "GLASSBOX_TOKEN"
            ])
        let check = TokenCheck(c.security.tokens)
        #expect(check.match("gb_from-the-file-00000")?.name == "Ada Lovelace")
        #expect(check.match("gb_from-the-environment")?.name == "GLASSBOX_TOKEN")
        #expect(c.security.sessionSeconds == 7200 && c.security.requiresToken)
        #expect(try !load("").security.requiresToken)

        #expect(
            message { try load(", \"auth\": {\"tokens\": [\"gb_plaintext-token-000\"]}") }
                .contains("key \"auth.tokens[0]\": is not a token digest"))
        #expect(
            message { try load(", \"auth\": {\"tokens_file\": \"config/tokens\"}", file: "gb_plaintext\n") }
                .contains("line 1: expected \"sha256:<64 hex digits> [name]\""))
        #expect(
            message { try load(", \"auth\": {\"tokens_file\": \"config/missing\"}") }
                .contains("cannot read the tokens file"))
        #expect(message { try load("", environment: ["GLASSBOX_TOKEN": "short"]) }.contains("at least 16"))
        #expect(message { try load(", \"auth\": {\"password\": 1}") }.contains("unknown key \"password\""))
        #expect(
            message { try load(", \"server\": {\"allowed_origins\": [\"https://a.example/path\"]}") }.contains(
                "not an origin"))
        #expect(message { try load(", \"limits\": {\"client_compute_burst\": 0}") }.contains("client_compute_burst"))
        let off = try load(", \"limits\": {\"client_compute_per_minute\": 0}").security
        #expect(off.computePerMinute(listeningOn: "0.0.0.0") == 0 && off.clientComputeBurst == 30)
        // Not configured: no limit for one user on loopback; 60 a minute once others can connect or need tokens.
        let unset = try load("").security
        #expect(unset.computePerMinute(listeningOn: "127.0.0.1") == 0)
        #expect(unset.computePerMinute(listeningOn: "0.0.0.0") == 60)
        #expect(c.security.computePerMinute(listeningOn: "127.0.0.1") == 60)
    }

    @Test("the session secret from auth.session_secret_file or the environment, 32 characters at least; route_by_id")
    func sessionSecretAndRouting() throws {
        let secret = "0123456789abcdef0123456789abcdef-shared"
        let fromFile = try load(", \"auth\": {\"session_secret_file\": \"config/tokens\"}", file: "\n" + secret + "\n")
        #expect(fromFile.security.sessionSecret == Array(secret.utf8))
        #expect(try load("").security.sessionSecret == nil)
        let fromEnvironment = try load("", environment: ["GLASSBOX_SESSION_SECRET": secret + "-env"])
        #expect(fromEnvironment.security.sessionSecret == Array((secret + "-env").utf8))
        #expect(
            message { try load("", environment: ["GLASSBOX_SESSION_SECRET": "too short"]) }
                .contains("the session secret is 9 characters: it needs at least 32"))
        #expect(
            message { try load(", \"auth\": {\"session_secret_file\": \"config/missing\"}") }
                .contains("cannot read the session secret file (auth.session_secret_file)"))

        #expect(try !load("").routeByID)
        #expect(try load(", \"server\": {\"route_by_id\": true}").routeByID)
        #expect(
            try !load(", \"server\": {\"route_by_id\": true}", environment: ["GLASSBOX_ROUTE_BY_ID": "0"]).routeByID)
        #expect(try load("", environment: ["GLASSBOX_ROUTE_BY_ID": "true"]).routeByID)
        #expect(message { try load("", environment: ["GLASSBOX_ROUTE_BY_ID": "yes"]) }.contains("GLASSBOX_ROUTE_BY_ID"))
        #expect(message { try load(", \"server\": {\"route_by_id\": 1}") }.contains("route_by_id"))
    }
}
