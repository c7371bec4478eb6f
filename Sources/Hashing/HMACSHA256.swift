/// HMAC-SHA256 (RFC 2104, FIPS 198-1): the signature of the browser sessions' cookies, so any instance that shares
/// the session secret can check a session another instance opened.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes: longer keys are hashed first, shorter ones padded with zeros.
    static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key
        if block.count > blockSize {
            var hash = SHA256()
            hash.update(block)
            block = hash.digest()
        }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.digest())
        return outer.digest()
    }

    /// Whether two codes are equal, in time that depends only on their lengths (no early exit).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
