/// Renders token text for display: whitespace and invisible scalars made visible, stray bytes as hex.
enum TokenDisplay {
    /// The display form of a token's raw bytes; bytes not part of a complete UTF-8 sequence become "<0xXX>".
    static func render(bytes: [UInt8]) -> String {
        var result = ""
        var i = 0
        while i < bytes.count {
            let length = UTF8Bytes.validSequenceLength(bytes, at: i)
            if length > 0, let scalar = UTF8Bytes.scalar(startingAt: i, in: bytes) {
                appendVisible(scalar, to: &result)
                i += length
            } else {
                result += "<0x" + hex(UInt32(bytes[i]), digits: 2) + ">"
                i += 1
            }
        }
        return result
    }

    /// The display form of a token given as text (e.g. an added token's content).
    static func render(text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            appendVisible(scalar, to: &result)
        }
        return result
    }

    private static func appendVisible(_ scalar: Unicode.Scalar, to result: inout String) {
        switch scalar {
        case " ": result += "␣"
        case "\n": result += "↵"
        case "\t": result += "⇥"
        case "\r": result += "␍"
        default:
            if isInvisible(scalar) {
                result += "<U+" + hex(scalar.value, digits: 4) + ">"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }

    /// Control, format, separator (other than space), private-use and unassigned scalars.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate,
            .unassigned:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
