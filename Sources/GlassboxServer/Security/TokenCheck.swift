/// Finds which configured token a presented one is, in time that depends on neither the presented token's value
/// nor which stored digest it matches: the presented token is hashed once, then compared with every stored digest
/// byte by byte without stopping early.
public struct TokenCheck: Sendable {
    public let tokens: [AccessToken]
    private let digests: [[UInt8]]

    public init(_ tokens: [AccessToken]) {
        self.tokens = tokens
        digests = tokens.map { Array($0.digest.utf8) }
    }

    /// The token whose digest is the presented token's, or nil.
    public func match(_ presented: String) -> AccessToken? {
        let digest = Array(AccessToken.digest(of: presented).utf8)
        var found = -1
        for (index, stored) in digests.enumerated() {
            // Constant time in the digests' bytes; equal lengths (64) always.
            var difference: UInt8 = stored.count == digest.count ? 0 : 1
            for i in 0..<min(stored.count, digest.count) { difference |= stored[i] ^ digest[i] }
            // Branch-free select of the first match.
            let equal = Int(difference == 0 ? 1 : 0)
            let unset = Int(found < 0 ? 1 : 0)
            found = found + (index - found) * equal * unset
        }
        return found >= 0 ? tokens[found] : nil
    }
}
