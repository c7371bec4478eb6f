import Foundation
import Hashing
import Testing
import TestSupport

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors")
    func vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        million.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("blocks split anywhere give the digest of the whole message")
    func splits() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = SHA256()
        whole.update(message)
        for sizes in [[1], [63], [64], [65], [7, 120, 1, 64], [200, 13]] {
            var hash = SHA256()
            var offset = 0, turn = 0
            while offset < message.count {
                let size = min(sizes[turn % sizes.count], message.count - offset)
                hash.update(Array(message[offset..<(offset + size)]))
                offset += size
                turn += 1
            }
            #expect(hash.hexDigest() == whole.hexDigest(), "chunks of \(sizes)")
        }
        // Every length around the padding boundaries (55, 56, 63, 64 bytes) against coreutils.
        for length in [55, 56, 57, 63, 64, 65, 119, 120] {
            let bytes = Array(message.prefix(length))
            #expect(SHA256.hexOf(bytes) == coreutilsDigest(bytes), "\(length) bytes")
        }
    }

    @Test("a file's digest, read in chunks, equals sha256sum's")
    func file() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("blob")
        var bytes = [UInt8](repeating: 0, count: (1 << 22) + 12_345)
        var x: UInt32 = 2463534242
        for i in bytes.indices {
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            bytes[i] = UInt8(truncatingIfNeeded: x)
        }
        try Data(bytes).write(to: url)
        #expect(try SHA256.hex(ofFile: url) == coreutilsDigest(bytes))
    }
}

extension SHA256 {
    static func hexOf(_ bytes: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hash.hexDigest()
    }
}

/// The digest by coreutils' `sha256sum`, an independent implementation.
func coreutilsDigest(_ bytes: [UInt8]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do { try process.run() } catch { return "sha256sum failed: \(error)" }
    input.fileHandleForWriting.write(Data(bytes))
    try? input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
