/// GPT-2's `bytes_to_unicode` table: a reversible map from each byte to a printable Unicode scalar.
///
/// Bytes 0x21...0x7E, 0xA1...0xAC and 0xAE...0xFF map to the scalar with the same value; every other
/// byte, in increasing order, maps to U+0100 + n for n = 0, 1, 2, … (so space → "Ġ", "\n" → "Ċ").
public enum ByteEncoder {
    /// The scalar that stands for each byte value (index = byte).
    public static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isSelfMapped(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 256 + n stays below 0x144, always a valid scalar.
                table[byte] = Unicode.Scalar(next) ?? "\u{FFFD}"
                next += 1
            }
        }
        return table
    }()

    /// The inverse table, indexed by scalar value 0..<0x144; -1 where a scalar stands for no byte.
    private static let byteForScalarTable: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar.value)] = Int16(byte)
        }
        return table
    }()

    private static func isSelfMapped(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The byte a scalar stands for, or nil if the scalar is not in the byte-level alphabet.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalarTable.count else { return nil }
        let byte = byteForScalarTable[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// Maps raw bytes to their byte-level string (e.g. " the" → "Ġthe").
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var result = String.UnicodeScalarView()
        for byte in bytes {
            result.append(scalarForByte[Int(byte)])
        }
        return String(result)
    }

    /// Maps a byte-level string back to raw bytes, or nil if some scalar is outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        // Every alphabet scalar is below U+0800, so its UTF-8 has one or two bytes; reading the UTF-8
        // directly is much faster than iterating unicode scalars (this runs for every vocabulary entry).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let lead = iterator.next() {
            let value: Int
            if lead < 0x80 {
                value = Int(lead)
            } else if lead & 0xE0 == 0xC0, let trail = iterator.next() {
                value = Int(lead & 0x1F) << 6 | Int(trail & 0x3F)
            } else {
                return nil
            }
            guard value < byteForScalarTable.count else { return nil }
            let byte = byteForScalarTable[value]
            guard byte >= 0 else { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }

    /// The bytes a token string decodes to, as HF's ByteLevel decoder does it: the byte-level
    /// mapping when every scalar is in the alphabet, otherwise the string's own UTF-8.
    static func decoderBytes(for token: String) -> [UInt8] {
        decode(token) ?? Array(token.utf8)
    }
}
