import Tokenizers

/// A prompt whose spans are marked with `[[` and `]]` (e.g. "The [[doctor]] said that"): the text without the
/// marks, the spans as UTF-8 byte ranges of that text, and after tokenizing, the token positions of each span.
public struct MarkedPrompt: Sendable, Equatable {
    public let text: String
    /// UTF-8 byte ranges of the marked spans in `text`, in order.
    public let spans: [Range<Int>]

    /// Parses the marks; unbalanced or nested marks are errors.
    public init(_ marked: String) throws {
        var text = [UInt8](), spans: [Range<Int>] = [], open: Int? = nil
        let bytes = Array(marked.utf8)
        var i = 0
        while i < bytes.count {
            if i + 1 < bytes.count && bytes[i] == UInt8(ascii: "[") && bytes[i + 1] == UInt8(ascii: "[") {
                guard open == nil else { throw ReportError("\"\(marked)\": a [[ span opens inside another") }
                open = text.count
                i += 2
            } else if i + 1 < bytes.count && bytes[i] == UInt8(ascii: "]") && bytes[i + 1] == UInt8(ascii: "]") {
                guard let start = open else { throw ReportError("\"\(marked)\": ]] closes no span") }
                guard text.count > start else { throw ReportError("\"\(marked)\": a marked span is empty") }
                spans.append(start..<text.count)
                open = nil
                i += 2
            } else {
                text.append(bytes[i])
                i += 1
            }
        }
        guard open == nil else { throw ReportError("\"\(marked)\": a [[ span is not closed with ]]") }
        self.text = String(decoding: text, as: UTF8.self)
        self.spans = spans
    }

    /// The token positions of each span: the tokens whose decoded bytes overlap it (BOS and other tokens that decode
    /// to nothing of the text are never part of a span).
    public func positions(of ids: [Int], tokenizer: any Tokenizer) -> [[Int]] {
        // Byte offset of each token in the decoded text, from decoding growing prefixes (after a leading BOS).
        let skip = ids.first != nil && ids.first == tokenizer.bosTokenID ? 1 : 0
        // A tokenizer may decode more than the text at the start (a SentencePiece space prefix): shift by that.
        // A prefix that ends inside a multi-byte character decodes to U+FFFD; keeping the ends non-decreasing and
        // within the text keeps such tokens next to their neighbours.
        let whole = ids.count > skip ? tokenizer.decode(Array(ids[skip...])).utf8.count : 0
        let shift = max(0, whole - text.utf8.count)
        var ends = [Int](repeating: 0, count: ids.count)
        for i in skip..<ids.count {
            let end = tokenizer.decode(Array(ids[skip...i])).utf8.count - shift
            ends[i] = min(text.utf8.count, max(end, i > skip ? ends[i - 1] : 0))
        }
        return spans.map { span in
            (skip..<ids.count).filter { i in
                let start = i == skip ? 0 : ends[i - 1]
                return start < span.upperBound && ends[i] > span.lowerBound && ends[i] > start
            }
        }
    }
}
