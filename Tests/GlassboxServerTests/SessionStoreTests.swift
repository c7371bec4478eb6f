import Foundation
import GlassboxServer
import Hashing
import Testing

/// The browser sessions' signed cookies: accepted by every store with the same secret and token, refused when
/// anything in them is changed, once expired, signed out or their token is no longer configured.
@Suite("Session cookies")
struct SessionStoreTests {
    static let secret = Array("a shared secret of at least thirty-two characters".utf8)
    static let token = AccessToken(name: "alice", digest: AccessToken.digest(of: "gb_alice-token-0123456789"))
    static let other = AccessToken(name: "bob", digest: AccessToken.digest(of: "gb_bob-token-0123456789ab"))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(
        "a cookie is expiry.nonce.HMAC-SHA256(secret, expiry, nonce, token digest), checked by any store sharing the secret"
    )
    func signature() throws {
        let one = SessionStore(lifetime: 3600, secret: Self.secret)
        let two = SessionStore(lifetime: 3600, secret: Self.secret)
        let cookie = one.open(Self.token, now: Self.now)
        let fields = cookie.split(separator: ".").map(String.init)
        #expect(fields.count == 3 && fields[0] == "1800003600" && fields[1].count == 32)
        // The code recomputed here from the definition.
        let message = "glassbox-session-v1\n1800003600\n\(fields[1])\n\(Self.token.digest)"
        let code = HMACSHA256.mac(key: Self.secret, message: Array(message.utf8))
        #expect(fields[2] == code.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())

        #expect(one.token(cookie, among: [Self.other, Self.token], now: Self.now) == Self.token)
        #expect(two.token(cookie, among: [Self.token, Self.other], now: Self.now) == Self.token)
        let foreign = SessionStore(lifetime: 3600, secret: Array("another secret of at least thirty-two chars".utf8))
        #expect(foreign.token(cookie, among: [Self.token], now: Self.now) == nil)
        let unconfigured = SessionStore(lifetime: 3600)
        #expect(unconfigured.token(cookie, among: [Self.token], now: Self.now) == nil)
        // The token is no longer accepted: its sessions end.
        #expect(one.token(cookie, among: [Self.other], now: Self.now) == nil)
        #expect(one.count(now: Self.now) == 1 && two.count(now: Self.now) == 0)
    }

    @Test("a changed expiry, nonce or code, an expired cookie and malformed values are refused")
    func tampering() {
        let store = SessionStore(lifetime: 3600, secret: Self.secret)
        let cookie = store.open(Self.token, now: Self.now)
        let fields = cookie.split(separator: ".").map(String.init)
        let flippedNonce = String(fields[1].dropLast()) + (fields[1].last == "0" ? "1" : "0")
        let flippedCode = String(fields[2].dropLast()) + (fields[2].last == "0" ? "1" : "0")
        for changed in [
            "1800007200.\(fields[1]).\(fields[2])", "\(fields[0]).\(flippedNonce).\(fields[2])",
            "\(fields[0]).\(fields[1]).\(flippedCode)", "\(fields[0]).\(fields[1]).\(fields[2].uppercased())",
            "\(fields[0]).\(fields[1])", cookie + ".", "", "...", String(repeating: "0", count: 64),
            "-5.\(fields[1]).\(fields[2])", "\(fields[0]).\(fields[1]).\(fields[2].dropLast(2))"
        ] {
            #expect(store.token(changed, among: [Self.token], now: Self.now) == nil, "\(changed)")
        }
        #expect(store.token(cookie, among: [Self.token], now: Self.now.addingTimeInterval(3599)) == Self.token)
        #expect(store.token(cookie, among: [Self.token], now: Self.now.addingTimeInterval(3600)) == nil)
        #expect(store.count(now: Self.now.addingTimeInterval(3600)) == 0)
    }

    @Test("signing out ends the session on the store that signs it out; another session of the token lives on")
    func signOut() {
        let store = SessionStore(lifetime: 3600, secret: Self.secret)
        let first = store.open(Self.token, now: Self.now)
        let second = store.open(Self.token, now: Self.now)
        #expect(first != second)
        store.close(first, now: Self.now)
        #expect(store.token(first, among: [Self.token], now: Self.now) == nil)
        #expect(store.token(second, among: [Self.token], now: Self.now) == Self.token)
        #expect(store.count(now: Self.now) == 1)
        store.close("not a cookie", now: Self.now)
        #expect(store.count(now: Self.now) == 1)
    }

    @Test("at capacity, the session expiring first is no longer counted")
    func capacity() {
        let store = SessionStore(lifetime: 3600, secret: Self.secret, capacity: 3)
        for i in 0..<5 { _ = store.open(Self.token, now: Self.now.addingTimeInterval(Double(i))) }
        #expect(store.count(now: Self.now.addingTimeInterval(5)) == 3)
    }
}
