import Foundation
import Hashing
import Synchronization

/// The browser sessions the login page opens. A session is its cookie (`glassbox_session`):
/// `<expiry, Unix seconds>.<nonce, 32 hex digits>.<HMAC-SHA256, 64 hex digits>`, the code taken under the session
/// secret over the expiry, the nonce and the digest of the token the session was opened with. Any instance with the
/// same secret and the same token accepts it (several instances behind one proxy, README "Several instances"); one
/// without a configured secret draws its own at start, so a restart signs everyone out. Removing a token from the
/// configuration ends its sessions. Signing out ends the session on this instance (the browser forgets the cookie).
public final class SessionStore: Sendable {
    public let lifetime: TimeInterval
    /// Most sessions counted (and most signed-out ones remembered); past it the one expiring first is dropped.
    public let capacity: Int
    private let secret: [UInt8]
    /// Sessions opened here (for `/api/health`) and sessions signed out here, by nonce, with their expiry.
    private let opened = Mutex<[String: Date]>([:])
    private let closed = Mutex<[String: Date]>([:])

    /// `secret`: the key of the cookies' codes (at least 32 bytes); nil: 32 random bytes of this process.
    public init(lifetime: TimeInterval, secret: [UInt8]? = nil, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.secret = secret ?? Array(AccessToken.randomHex(words: 4).utf8)
    }

    /// Opens a session for `token`; answers the cookie's value.
    public func open(_ token: AccessToken, now: Date = Date()) -> String {
        let expires = Int(now.addingTimeInterval(lifetime).timeIntervalSince1970.rounded(.down))
        let nonce = AccessToken.randomHex(words: 2)
        Self.insert(
            nonce, Date(timeIntervalSince1970: TimeInterval(expires)), into: opened, capacity: capacity, now: now)
        return "\(expires).\(nonce).\(Self.hex(code(expires: expires, nonce: nonce, digest: token.digest)))"
    }

    /// The token of a live session among `tokens`, or nil (malformed, forged, expired, signed out here, or its token
    /// no longer accepted). The codes of all tokens are compared, without stopping at a match.
    public func token(_ cookie: String, among tokens: [AccessToken], now: Date = Date()) -> AccessToken? {
        guard let parts = Self.parts(cookie), TimeInterval(parts.expires) > now.timeIntervalSince1970 else {
            return nil
        }
        guard closed.withLock({ $0[parts.nonce] == nil }) else { return nil }
        var found: AccessToken? = nil
        for token in tokens {
            let equal = HMACSHA256.equal(
                code(expires: parts.expires, nonce: parts.nonce, digest: token.digest), parts.code)
            if equal && found == nil { found = token }
        }
        return found
    }

    /// Ends a session here.
    public func close(_ cookie: String, now: Date = Date()) {
        guard let parts = Self.parts(cookie) else { return }
        let expires = Date(timeIntervalSince1970: TimeInterval(parts.expires))
        _ = opened.withLock { $0.removeValue(forKey: parts.nonce) }
        Self.insert(parts.nonce, expires, into: closed, capacity: capacity, now: now)
    }

    /// Live sessions opened on this instance.
    public func count(now: Date = Date()) -> Int {
        opened.withLock { $0.values.filter { $0 > now }.count }
    }

    private func code(expires: Int, nonce: String, digest: String) -> [UInt8] {
        HMACSHA256.mac(key: secret, message: Array("glassbox-session-v1\n\(expires)\n\(nonce)\n\(digest)".utf8))
    }

    private static func insert(
        _ nonce: String, _ expires: Date, into table: borrowing Mutex<[String: Date]>, capacity: Int, now: Date
    ) {
        table.withLock { table in
            table = table.filter { $0.value > now }
            if table.count >= capacity, let first = table.min(by: { $0.value < $1.value }) { table[first.key] = nil }
            table[nonce] = expires
        }
    }

    /// A cookie's expiry, nonce and code, or nil when it does not have the form.
    static func parts(_ cookie: String) -> (expires: Int, nonce: String, code: [UInt8])? {
        let fields = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count <= 12, let expires = Int(fields[0]), expires > 0,
            fields[1].count == 32, fields[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
            let code = bytes(hex: fields[2]), code.count == 32
        else { return nil }
        return (expires, String(fields[1]), code)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
