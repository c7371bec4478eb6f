import Testing
import Tokenizers

/// GPT-2's bytes_to_unicode table.
@Suite struct ByteEncoderTests {
    @Test func printableBytesMapToThemselves() {
        for byte in Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF) {
            #expect(ByteEncoder.scalarForByte[byte].value == UInt32(byte), "byte \(byte)")
        }
    }

    @Test func otherBytesMapAbove255InIncreasingOrder() {
        #expect(ByteEncoder.scalarForByte[0x00] == "\u{100}") // Ā
        #expect(ByteEncoder.scalarForByte[0x0A] == "\u{10A}") // Ċ
        #expect(ByteEncoder.scalarForByte[0x20] == "\u{120}") // Ġ
        #expect(ByteEncoder.scalarForByte[0x7F] == "\u{121}") // ġ
        #expect(ByteEncoder.scalarForByte[0xA0] == "\u{142}") // ł
        #expect(ByteEncoder.scalarForByte[0xAD] == "\u{143}") // Ń
        #expect(ByteEncoder.encode(Array(" the\n".utf8)) == "Ġthe\u{10A}")
    }

    @Test func tableIsABijection() {
        #expect(Set(ByteEncoder.scalarForByte).count == 256)
        for byte in 0..<256 {
            #expect(ByteEncoder.byte(for: ByteEncoder.scalarForByte[byte]) == UInt8(byte))
        }
        let all = (0..<256).map { UInt8($0) }
        #expect(ByteEncoder.decode(ByteEncoder.encode(all)) == all)
    }

    @Test func scalarsOutsideTheAlphabetHaveNoByte() {
        #expect(ByteEncoder.byte(for: " ") == nil)
        #expect(ByteEncoder.byte(for: "\u{144}") == nil)
        #expect(ByteEncoder.decode("Ġhello world") == nil)
        #expect(ByteEncoder.decode("Ġhi") == [0x20, 0x68, 0x69])
    }
}
