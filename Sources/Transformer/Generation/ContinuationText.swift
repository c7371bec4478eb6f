import Tokenizers

/// The text of a continuation as it grows token by token, handed out in pieces that never need taking back.
///
/// The continuation's text is `decode(prompt + generated)` minus `decode(prompt)` (so a token's leading space or a
/// character split over two tokens comes out as the whole sequence decodes it; when the prompt's text is not a prefix
/// of the longer one, `decode(generated)` alone). A piece is held back while the text ends in U+FFFD (a character
/// whose bytes have not all arrived) or in the beginning of a stop string. Once a stop string appears, the text ends
/// just before its first occurrence. The pieces joined are the final `text`.
struct ContinuationText {
    let tokenizer: any Tokenizer
    let promptIDs: [Int]
    let stopStrings: [String]
    private let promptText: [Unicode.Scalar]
    private(set) var ids: [Int] = []
    /// The scalars handed out so far.
    private(set) var emitted: [Unicode.Scalar] = []
    /// Whether a stop string has appeared.
    private(set) var stopped = false

    init(tokenizer: any Tokenizer, promptIDs: [Int], stopStrings: [String]) {
        self.tokenizer = tokenizer
        self.promptIDs = promptIDs
        self.stopStrings = stopStrings.filter { !$0.isEmpty }
        promptText = Array(tokenizer.decode(promptIDs).unicodeScalars)
    }

    /// The text handed out so far.
    var text: String { Self.string(emitted) }

    /// Adds a token and returns the new piece of text it releases (possibly empty).
    mutating func append(_ id: Int) -> String {
        precondition(!stopped, "the continuation already ended at a stop string")
        ids.append(id)
        var current = continuation()
        if let stop = firstStop(in: current) {
            current = Array(current[..<stop])
            stopped = true
        } else {
            while current.last == "\u{FFFD}" { current.removeLast() }
            current.removeLast(heldBack(current))
        }
        return release(current)
    }

    /// Releases whatever was held back (at the end of generation) and returns it.
    mutating func finish() -> String {
        guard !stopped else { return "" }
        return release(continuation())
    }

    /// The decoded continuation of the tokens so far.
    private func continuation() -> [Unicode.Scalar] {
        let whole = Array(tokenizer.decode(promptIDs + ids).unicodeScalars)
        if whole.starts(with: promptText) { return Array(whole[promptText.count...]) }
        return Array(tokenizer.decode(ids).unicodeScalars)
    }

    /// Hands out what `current` adds to the emitted text (nothing if it does not extend it).
    private mutating func release(_ current: [Unicode.Scalar]) -> String {
        guard current.count > emitted.count, current.starts(with: emitted) else { return "" }
        let piece = current[emitted.count...]
        emitted = current
        return Self.string(piece)
    }

    /// The string of `scalars`.
    private static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Where the earliest stop string starts in `text`, if one occurs.
    private func firstStop(in text: [Unicode.Scalar]) -> Int? {
        var earliest: Int?
        for stop in stopStrings.map({ Array($0.unicodeScalars) }) where stop.count <= text.count {
            for start in 0...(text.count - stop.count) where text[start..<(start + stop.count)].elementsEqual(stop) {
                if start < earliest ?? Int.max { earliest = start }
                break
            }
        }
        return earliest
    }

    /// The length of the longest end of `text` that begins a stop string (held back until it is decided).
    private func heldBack(_ text: [Unicode.Scalar]) -> Int {
        var longest = 0
        for stop in stopStrings.map({ Array($0.unicodeScalars) }) {
            for length in stride(from: min(stop.count - 1, text.count), to: longest, by: -1)
            where text[(text.count - length)...].elementsEqual(stop[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }
}
