/// HF's `Split` pre-tokenizer on a literal string pattern (`{"String": " "}`), with each delimiter behaviour.
struct LiteralSplit: Sendable, Equatable {
    /// What becomes of each occurrence of the pattern (HF `SplitDelimiterBehavior`).
    enum Behavior: String, Sendable, Equatable, CaseIterable {
        /// Dropped.
        case removed = "Removed"
        /// A piece of its own.
        case isolated = "Isolated"
        /// Appended to the piece before it.
        case mergedWithPrevious = "MergedWithPrevious"
        /// Put in front of the piece after it.
        case mergedWithNext = "MergedWithNext"
        /// Adjacent occurrences form one piece.
        case contiguous = "Contiguous"
    }

    /// The pattern's scalars; never empty.
    let pattern: [UInt32]
    let behavior: Behavior

    /// A split on `pattern`, or nil if the pattern is empty.
    init?(pattern: String, behavior: Behavior) {
        guard !pattern.isEmpty else { return nil }
        self.pattern = pattern.unicodeScalars.map(\.value)
        self.behavior = behavior
    }

    /// Appends the pieces of `range` to `pieces`.
    func scan(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        // Non-overlapping occurrences, leftmost first.
        var matches: [Range<Int>] = []
        var i = range.lowerBound
        while i + pattern.count <= range.upperBound {
            if text.scalars[i..<(i + pattern.count)].elementsEqual(pattern) {
                matches.append(i..<(i + pattern.count))
                i += pattern.count
            } else {
                i += 1
            }
        }
        var start = range.lowerBound // the start of the text not yet given to a piece
        var inRun = false
        func emit(_ piece: Range<Int>) {
            if !piece.isEmpty { pieces.append(piece) }
        }
        for (index, match) in matches.enumerated() {
            switch behavior {
            case .removed:
                emit(start..<match.lowerBound)
                start = match.upperBound
            case .isolated:
                emit(start..<match.lowerBound)
                emit(match)
                start = match.upperBound
            case .mergedWithPrevious:
                emit(start..<match.upperBound)
                start = match.upperBound
            case .mergedWithNext:
                emit(start..<match.lowerBound)
                start = match.lowerBound
            case .contiguous:
                // A run of adjacent occurrences is one piece.
                if !inRun {
                    emit(start..<match.lowerBound)
                    start = match.lowerBound
                }
                inRun = index + 1 < matches.count && matches[index + 1].lowerBound == match.upperBound
                if !inRun {
                    emit(start..<match.upperBound)
                    start = match.upperBound
                }
            }
        }
        emit(start..<range.upperBound)
    }
}
