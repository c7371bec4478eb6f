/// Character classes of a Unicode scalar as the regex engine behind HF `tokenizers` sees them.
///
/// - `letter`: `\p{L}` (general categories Lu, Ll, Lt, Lm, Lo).
/// - `number`: `\p{N}` (Nd, Nl, No).
/// - `numeric`: Rust's `char::is_numeric`, used by the Digits pre-tokenizer: the same categories, but
///   from the Rust standard library's Unicode tables, which are newer (Unicode 17) than the regex engine's.
/// - `whitespace`: `\s`, which in Oniguruma (and Rust's `regex`) is exactly the Unicode White_Space
///   property: U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
///   U+205F and U+3000.
/// - `newline`: `\r` or `\n`.
///
/// HF's regex engines use Unicode 16 tables; for `letter` and `number`, scalars first assigned in a
/// later Unicode version (which the Swift runtime may already know) are treated as unassigned.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1)
    static let number = ScalarClass(rawValue: 2)
    static let whitespace = ScalarClass(rawValue: 4)
    static let newline = ScalarClass(rawValue: 8)
    static let numeric = ScalarClass(rawValue: 16)

    /// The newest Unicode major version HF's regex engines (Oniguruma, Rust `regex`) know.
    static let referenceUnicodeMajorVersion = 16

    private static let asciiTable: [ScalarClass] = (0..<128).map { computeClass(UInt32($0)) }

    /// The classes of the scalar with the given value.
    static func of(_ value: UInt32) -> ScalarClass {
        value < 128 ? asciiTable[Int(value)] : computeClass(value)
    }

    private static func computeClass(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        var result: ScalarClass = []
        let properties = scalar.properties
        if properties.isWhitespace { result.insert(.whitespace) }
        if value == 0x0A || value == 0x0D { result.insert(.newline) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            if isKnownToReference(properties) { result.insert(.letter) }
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.numeric)
            if isKnownToReference(properties) { result.insert(.number) }
        default:
            break
        }
        return result
    }

    private static func isKnownToReference(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major <= referenceUnicodeMajorVersion
    }

    /// True for a "word" character of Rust's `regex` `\w` (Alphabetic, marks, Nd, Pc, Join_Control),
    /// used by HF to decide whether an added token with `single_word` stands alone.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        let properties = scalar.properties
        guard isKnownToReference(properties) else { return false }
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
