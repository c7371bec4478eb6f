import JSON
import GlassboxServer
import Testing

@Suite("SHA-256 and the JSON writer")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors")
    func vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        million.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("JSON writer: escapes, shortest floats, non-finite as null")
    func writer() {
        var w = JSONWriter()
        w.object { o in
            o.field("text", "a\"b\\c\n\u{01}é")
            o.field("values") { $0.array([Float(0.1), .nan, -.infinity, 1e-7, 3]) }
            o.field("n", 42)
            o.field("flag", false)
        }
        #expect(String(decoding: w.data, as: UTF8.self)
                == "{\"text\":\"a\\\"b\\\\c\\n\\u0001é\",\"values\":[0.1,null,null,1e-07,3.0],\"n\":42,\"flag\":false}")
    }
}
