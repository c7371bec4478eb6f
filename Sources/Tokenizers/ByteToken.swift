/// The `<0xXX>` byte tokens of SentencePiece vocabularies, which stand for one raw byte each.
enum ByteToken {
    /// `<0xAB>`: the token HF looks up for byte 0xAB (upper-case hex).
    static func name(of byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count < 2 ? "0" + hex : hex) + ">"
    }

    /// The byte a token's UTF-8 stands for: `<0xAB>` → 0xAB, hex digits in either case (as HF and llama.cpp
    /// read them); nil for any other token.
    static func value<Bytes: BidirectionalCollection<UInt8>>(of token: Bytes) -> UInt8? {
        guard token.count == 6, token.starts(with: Array("<0x".utf8)), token.last == UInt8(ascii: ">") else {
            return nil
        }
        let digits = token.dropFirst(3).prefix(2)
        // Rust's u8::from_str_radix, which HF uses, takes a leading "+" but no "-"; Swift's parser takes both.
        guard digits.first != UInt8(ascii: "-") else { return nil }
        return UInt8(String(decoding: digits, as: UTF8.self), radix: 16)
    }
}
