/// Helpers for reading Unicode scalars out of UTF-8 byte arrays at byte offsets.
enum UTF8Bytes {
    /// The scalar whose well-formed UTF-8 encoding starts at byte offset `start`, or nil.
    static func scalar(startingAt start: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
        var iterator = bytes[start...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// The offset where the scalar ending just before byte offset `end` starts (valid UTF-8 assumed).
    static func startOfScalar(endingAt end: Int, in bytes: [UInt8]) -> Int {
        var start = end - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }

    /// The scalar whose UTF-8 encoding ends just before byte offset `end` (valid UTF-8 assumed).
    static func scalar(endingAt end: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
        scalar(startingAt: startOfScalar(endingAt: end, in: bytes), in: bytes)
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7), or 0.
    static func validSequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + offset < bytes.count && range.contains(bytes[i + offset])
        }
        switch bytes[i] {
        case 0x00...0x7F:
            return 1
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The length of the UTF-8 sequence that `lead` starts, for text known to be valid UTF-8 (from a `String`).
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
