/// HF's `Metaspace` pre-tokenizer: spaces become the replacement scalar (`▁`), a replacement is put in front of
/// a piece as the prepend scheme says, and with `split` each piece is cut before every replacement.
struct MetaspaceSplit: Sendable, Equatable {
    /// When a replacement is put in front of a piece that does not start with one.
    enum PrependScheme: String, Sendable, Equatable {
        /// In front of every piece.
        case always
        /// Only in front of the piece that starts the input (not after an added token).
        case first
        /// Never.
        case never
    }

    /// The scalar that stands for a space, `▁` (U+2581) in every known tokenizer.
    var replacement: Unicode.Scalar
    var prependScheme: PrependScheme
    /// Whether each piece is cut before every replacement (the replacement starts the next piece).
    var split: Bool

    init(replacement: Unicode.Scalar = "\u{2581}", prependScheme: PrependScheme, split: Bool) {
        self.replacement = replacement
        self.prependScheme = prependScheme
        self.split = split
    }

    /// Rewrites `pieces` of `text` into a new text; `startsInput` says whether index 0 of `text` is the start of
    /// the whole input (for `PrependScheme.first`).
    func apply(_ text: ScalarText, _ pieces: [Range<Int>], startsInput: Bool) -> (ScalarText, [Range<Int>]) {
        let replacement = self.replacement.value
        var result = ScalarText()
        result.reserveCapacity(text.count + pieces.count)
        var newPieces: [Range<Int>] = []
        newPieces.reserveCapacity(pieces.count)
        var copied = 0
        for piece in pieces where !piece.isEmpty {
            // Text between pieces is kept, so that index 0 still means the start of the input.
            result.append(contentsOf: text, copied..<piece.lowerBound)
            copied = piece.upperBound
            let start = result.count
            let first = text.scalars[piece.lowerBound]
            let startsWithReplacement = first == 0x20 || first == replacement
            let prepends =
                switch prependScheme {
                case .always: !startsWithReplacement
                case .first: !startsWithReplacement && startsInput && piece.lowerBound == 0
                case .never: false
                }
            if prepends { result.append(replacement) }
            for i in piece {
                result.append(text.scalars[i] == 0x20 ? replacement : text.scalars[i])
            }
            if split {
                Self.cutBefore(replacement, in: result, start..<result.count, into: &newPieces)
            } else {
                newPieces.append(start..<result.count)
            }
        }
        result.append(contentsOf: text, copied..<text.count)
        return (result, newPieces)
    }

    /// Splits `range` before every `delimiter` (HF's MergedWithNext on a one-scalar pattern).
    private static func cutBefore(
        _ delimiter: UInt32, in text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]
    ) {
        var start = range.lowerBound
        for i in range where i > start && text.scalars[i] == delimiter {
            pieces.append(start..<i)
            start = i
        }
        if start < range.upperBound { pieces.append(start..<range.upperBound) }
    }
}
