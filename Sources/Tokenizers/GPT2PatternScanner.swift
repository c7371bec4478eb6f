/// A hand-written matcher equivalent to GPT-2's pre-tokenizer regex, applied find-all style:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// Every scalar is covered by some alternative, so the matches tile the input exactly.
enum GPT2PatternScanner {
    /// Appends the ranges of the successive matches within `range` to `pieces`.
    static func scan(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let length = matchLength(text, at: i, end: end)
            pieces.append(i..<(i + length))
            i += length
        }
    }

    /// The length of the match starting at `i` (always at least 1).
    private static func matchLength(_ text: ScalarText, at i: Int, end: Int) -> Int {
        let scalars = text.scalars
        let c = scalars[i]
        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
        if c == 0x27, i + 1 < end {
            switch scalars[i + 1] {
            case 0x73, 0x74, 0x6D, 0x64: return 2 // s t m d
            case 0x72, 0x76: // r v followed by e
                if i + 2 < end, scalars[i + 2] == 0x65 { return 3 }
            case 0x6C: // l l
                if i + 2 < end, scalars[i + 2] == 0x6C { return 3 }
            default: break
            }
        }
        let hasSpacePrefix = c == 0x20 && i + 1 < end
        // ' ?\p{L}+', ' ?\p{N}+'
        for wanted in [ScalarClass.letter, ScalarClass.number] {
            if hasSpacePrefix, text.classes[i + 1].contains(wanted) {
                return 1 + text.run(of: wanted, from: i + 1, end: end)
            }
            if text.classes[i].contains(wanted) {
                return text.run(of: wanted, from: i, end: end)
            }
        }
        // ' ?[^\s\p{L}\p{N}]+'
        if hasSpacePrefix, text.isOther(i + 1) {
            return 1 + text.runOfOther(from: i + 1, end: end)
        }
        if text.isOther(i) {
            return text.runOfOther(from: i, end: end)
        }
        // '\s+(?!\S)|\s+' — here scalars[i] is whitespace.
        return whitespaceMatchLength(text, at: i, end: end)
    }

    /// The match of `\s+(?!\S)|\s+` at a whitespace scalar: a whitespace run stops one short of a
    /// following non-space scalar (which then takes it as its optional prefix), unless the run is a
    /// single scalar.
    static func whitespaceMatchLength(_ text: ScalarText, at i: Int, end: Int) -> Int {
        let run = text.run(of: .whitespace, from: i, end: end)
        if i + run == end || run == 1 { return run }
        return run - 1
    }
}
