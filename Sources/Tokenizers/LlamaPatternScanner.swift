/// A hand-written matcher equivalent to the Llama 3 pre-tokenizer regex (and Qwen2's, which allows
/// one digit per number piece instead of up to three), applied find-all style:
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
///     ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// (one pattern; the second line starts with a space).
///
/// The case-insensitive contractions also accept U+017F LATIN SMALL LETTER LONG S for "s", as
/// Oniguruma's case folding does.
enum LlamaPatternScanner {
    /// Appends the ranges of the successive matches within `range` to `pieces`.
    static func scan(_ text: ScalarText, _ range: Range<Int>, maxDigits: Int, into pieces: inout [Range<Int>]) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let length = matchLength(text, at: i, end: end, maxDigits: maxDigits)
            pieces.append(i..<(i + length))
            i += length
        }
    }

    private static func matchLength(_ text: ScalarText, at i: Int, end: Int, maxDigits: Int) -> Int {
        let scalars = text.scalars
        let classes = text.classes
        if scalars[i] == 0x27, let length = contractionLength(scalars, at: i, end: end) {
            return length
        }
        let c = classes[i]
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if c.isDisjoint(with: [.letter, .number, .newline]), i + 1 < end, classes[i + 1].contains(.letter) {
            return 1 + text.run(of: .letter, from: i + 1, end: end)
        }
        if c.contains(.letter) {
            return text.run(of: .letter, from: i, end: end)
        }
        // \p{N}{1,maxDigits}
        if c.contains(.number) {
            return text.run(of: .number, from: i, end: min(end, i + maxDigits))
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var otherStart: Int?
        if scalars[i] == 0x20, i + 1 < end, text.isOther(i + 1) {
            otherStart = i + 1
        } else if text.isOther(i) {
            otherStart = i
        }
        if let start = otherStart {
            var j = start + text.runOfOther(from: start, end: end)
            while j < end, classes[j].contains(.newline) { j += 1 }
            return j - i
        }
        // '\s*[\r\n]+': the whitespace run up to and including its last newline.
        let run = text.run(of: .whitespace, from: i, end: end)
        var k = i + run - 1
        while k >= i {
            if classes[k].contains(.newline) { return k + 1 - i }
            k -= 1
        }
        // '\s+(?!\S)|\s+'
        return GPT2PatternScanner.whitespaceMatchLength(text, at: i, end: end)
    }

    /// The length of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at an apostrophe, or nil.
    private static func contractionLength(_ scalars: [UInt32], at i: Int, end: Int) -> Int? {
        guard i + 1 < end else { return nil }
        switch scalars[i + 1] {
        case 0x73, 0x53, 0x17F, 0x74, 0x54, 0x6D, 0x4D, 0x64, 0x44: // s S ſ t T m M d D
            return 2
        case 0x72, 0x52, 0x76, 0x56: // r R v V, then e E
            if i + 2 < end, scalars[i + 2] == 0x65 || scalars[i + 2] == 0x45 { return 3 }
        case 0x6C, 0x4C: // l L, then l L
            if i + 2 < end, scalars[i + 2] == 0x6C || scalars[i + 2] == 0x4C { return 3 }
        default:
            break
        }
        return nil
    }
}
