/// Text as an array of Unicode scalar values with their precomputed character classes.
struct ScalarText {
    private(set) var scalars: [UInt32] = []
    private(set) var classes: [ScalarClass] = []

    init() {}

    /// Decomposes a string into scalars and classifies each one.
    init(_ text: Substring) {
        reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            append(scalar.value)
        }
    }

    var count: Int { scalars.count }

    mutating func reserveCapacity(_ n: Int) {
        scalars.reserveCapacity(n)
        classes.reserveCapacity(n)
    }

    mutating func append(_ value: UInt32) {
        scalars.append(value)
        classes.append(ScalarClass.of(value))
    }

    /// Appends the scalars of `range` from another text.
    mutating func append(contentsOf other: ScalarText, _ range: Range<Int>) {
        scalars.append(contentsOf: other.scalars[range])
        classes.append(contentsOf: other.classes[range])
    }

    /// True for a scalar that is neither whitespace, letter nor number (`[^\s\p{L}\p{N}]`).
    func isOther(_ i: Int) -> Bool {
        classes[i].isDisjoint(with: [.whitespace, .letter, .number])
    }

    /// The number of consecutive scalars from `start` (before `end`) that have class `wanted`.
    func run(of wanted: ScalarClass, from start: Int, end: Int) -> Int {
        var j = start
        while j < end, classes[j].contains(wanted) { j += 1 }
        return j - start
    }

    /// The number of consecutive "other" scalars from `start` (before `end`).
    func runOfOther(from start: Int, end: Int) -> Int {
        var j = start
        while j < end, isOther(j) { j += 1 }
        return j - start
    }

    /// Appends the UTF-8 encoding of the scalars in `range` to `bytes`.
    func appendUTF8(_ range: Range<Int>, to bytes: inout [UInt8]) {
        for i in range {
            let v = scalars[i]
            switch v {
            case 0..<0x80:
                bytes.append(UInt8(v))
            case 0x80..<0x800:
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            case 0x800..<0x10000:
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            default:
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
    }
}
