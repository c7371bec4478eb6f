import Hashing
import Testing

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("RFC 4231 test cases 1, 2, 3 and 6 (a key longer than the block is hashed first)")
    func vectors() {
        let cases: [(key: [UInt8], message: [UInt8], mac: String)] = [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            )
        ]
        for c in cases {
            #expect(Self.hex(HMACSHA256.mac(key: c.key, message: c.message)) == c.mac)
        }
    }

    @Test("SHA-256's digest bytes are its hex digest")
    func digestBytes() {
        var hash = SHA256()
        hash.update("abc")
        #expect(Self.hex(hash.digest()) == hash.hexDigest())
        #expect(hash.digest().count == 32)
    }

    @Test("equal compares whole codes: one differing byte anywhere, or another length, is unequal")
    func equality() {
        let code = HMACSHA256.mac(key: Array("k".utf8), message: Array("m".utf8))
        #expect(HMACSHA256.equal(code, code))
        for i in [0, 15, 31] {
            var other = code
            other[i] ^= 1
            #expect(!HMACSHA256.equal(code, other))
        }
        #expect(!HMACSHA256.equal(code, Array(code.prefix(31))))
    }
}
