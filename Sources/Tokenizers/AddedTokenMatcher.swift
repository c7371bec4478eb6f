/// Finds added tokens in text the way HF `tokenizers` does: leftmost-longest, non-overlapping matches
/// of the token contents, honouring `single_word`, `lstrip` and `rstrip`.
struct AddedTokenMatcher: Sendable {
    /// A part of the input: either an added token or text between tokens (byte ranges into the input).
    enum Segment: Equatable {
        case token(id: Int)
        case text(Range<Int>)
    }

    private let tokens: [AddedToken]
    /// Trie transitions keyed by `node << 8 | byte`.
    private let transitions: [UInt32: Int32]
    /// The index in `tokens` of the token ending at each trie node, or -1.
    private let terminals: [Int32]
    /// Whether any token starts with each byte value.
    private let startsToken: [Bool]

    /// Builds a matcher for `tokens`; each token is matched by `pattern(token)` (its content, or its
    /// normalized content). Empty patterns never match; for repeated patterns the last token wins.
    init(tokens: [AddedToken], pattern: (AddedToken) -> String = { $0.content }) {
        self.tokens = tokens
        var transitions: [UInt32: Int32] = [:]
        var terminals: [Int32] = [-1]
        var startsToken = [Bool](repeating: false, count: 256)
        for (index, token) in tokens.enumerated() {
            let bytes = Array(pattern(token).utf8)
            guard let first = bytes.first else { continue }
            startsToken[Int(first)] = true
            var node: Int32 = 0
            for byte in bytes {
                let key = UInt32(node) << 8 | UInt32(byte)
                if let child = transitions[key] {
                    node = child
                } else {
                    let child = Int32(terminals.count)
                    terminals.append(-1)
                    transitions[key] = child
                    node = child
                }
            }
            terminals[Int(node)] = Int32(index)
        }
        self.transitions = transitions
        self.terminals = terminals
        self.startsToken = startsToken
    }

    /// True when there is nothing to match.
    var isEmpty: Bool { transitions.isEmpty }

    /// Splits UTF-8 `bytes` into added tokens and the text between them.
    func segments(of bytes: [UInt8]) -> [Segment] {
        guard !isEmpty else { return bytes.isEmpty ? [] : [.text(0..<bytes.count)] }
        var result: [Segment] = []
        var emittedUpTo = 0
        var searchFrom = 0
        while let (tokenIndex, match) = leftmostLongestMatch(in: bytes, from: searchFrom) {
            searchFrom = match.upperBound
            let token = tokens[tokenIndex]
            var start = match.lowerBound
            var stop = match.upperBound
            if token.singleWord {
                let before = start > 0 ? UTF8Bytes.scalar(endingAt: start, in: bytes) : nil
                let after = stop < bytes.count ? UTF8Bytes.scalar(startingAt: stop, in: bytes) : nil
                if [before, after].contains(where: { $0.map(ScalarClass.isWordCharacter) == true }) { continue }
            }
            if token.lstrip {
                start = max(Self.startOfTrailingWhitespace(in: bytes, before: start), emittedUpTo)
            }
            if token.rstrip {
                stop = Self.endOfLeadingWhitespace(in: bytes, from: stop)
            }
            if emittedUpTo < start {
                result.append(.text(emittedUpTo..<start))
            }
            result.append(.token(id: token.id))
            emittedUpTo = stop
        }
        if emittedUpTo < bytes.count {
            result.append(.text(emittedUpTo..<bytes.count))
        }
        return result
    }

    /// The first position at or after `from` where a token starts, with the longest token there.
    private func leftmostLongestMatch(in bytes: [UInt8], from: Int) -> (Int, Range<Int>)? {
        var position = from
        while position < bytes.count {
            if startsToken[Int(bytes[position])] {
                var node: Int32 = 0
                var best: (Int, Int)?
                var i = position
                while i < bytes.count, let child = transitions[UInt32(node) << 8 | UInt32(bytes[i])] {
                    node = child
                    i += 1
                    let terminal = terminals[Int(node)]
                    if terminal >= 0 { best = (Int(terminal), i) }
                }
                if let (tokenIndex, end) = best {
                    return (tokenIndex, position..<end)
                }
            }
            position += 1
        }
        return nil
    }

    /// The offset where the run of whitespace ending at `end` begins (`end` if there is none).
    static func startOfTrailingWhitespace(in bytes: [UInt8], before end: Int) -> Int {
        var position = end
        while position > 0 {
            let start = UTF8Bytes.startOfScalar(endingAt: position, in: bytes)
            guard let scalar = UTF8Bytes.scalar(startingAt: start, in: bytes), scalar.properties.isWhitespace else {
                break
            }
            position = start
        }
        return position
    }

    /// The offset just after the run of whitespace starting at `start` (`start` if there is none).
    static func endOfLeadingWhitespace(in bytes: [UInt8], from start: Int) -> Int {
        var position = start
        while position < bytes.count {
            guard let scalar = UTF8Bytes.scalar(startingAt: position, in: bytes), scalar.properties.isWhitespace else {
                break
            }
            position += UTF8.width(scalar)
        }
        return position
    }
}
