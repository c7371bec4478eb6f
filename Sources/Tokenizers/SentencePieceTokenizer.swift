/// SentencePiece BPE as llama.cpp runs it on GGUF vocabularies (`tokenizer.ggml.model = "llama"`): Gemma 3, Llama 2,
/// Mistral v0.1. Written from `docs/models.md` §4.1 and checked against transformers on the same file.
///
/// 1. Special pieces are split out of the raw text first, longest first: user-defined tokens (runs of newlines
///    and tabs, HTML tags) always, control and unknown tokens too (transformers parses them in text).
/// 2. Other fragments get `" "` → `"▁"` (and a leading `"▁"` with `addSpacePrefix`). User-defined runs of spaces
///    are then split out of the normalised text in their `▁` form, as transformers matches them (llama.cpp matches
///    them before normalising, which differs for a literal `▁` next to spaces). The rest is merged from UTF-8
///    characters, always the adjacent pair whose concatenation is the highest-scored token (leftmost on ties).
/// 3. A final piece that is not a token becomes one `<0xXX>` byte token per byte.
public struct SentencePieceTokenizer: Tokenizer {
    /// Token types as GGUF stores them (`tokenizer.ggml.token_type`).
    public enum TokenType: Int32, Sendable {
        case normal = 1
        case unknown = 2
        case control = 3
        case userDefined = 4
        case unused = 5
        case byte = 6
    }

    private let pieces: [[UInt8]]
    private let scores: [Float]
    private let types: [TokenType]
    /// Token id by piece bytes, for merging. Space-run tokens are also entered in their `▁` form, as transformers'
    /// converted vocabulary writes them, so `"▁▁"` in text merges into them.
    private let ids: [[UInt8]: Int]
    /// Byte tokens `<0xXX>` by byte value.
    private let byteTokens: [Int?]
    /// Pieces split out of the raw text, longest first.
    private let specials: [(bytes: [UInt8], id: Int)]
    /// User-defined runs of spaces in their `▁` form, split out of normalised fragments, longest first.
    private let spaceRuns: [(bytes: [UInt8], id: Int)]
    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    public let unkTokenID: Int?
    private let addsBOS: Bool
    private let addSpacePrefix: Bool

    private static let metaspace: [UInt8] = [0xE2, 0x96, 0x81] // "▁"

    /// A tokenizer from a GGUF vocabulary: pieces, scores and types indexed by id.
    public init(
        tokens: [String], scores: [Float], types: [Int32], bosTokenID: Int?, eosTokenID: Int?,
        padTokenID: Int? = nil, unkTokenID: Int? = nil, addsBOS: Bool, addSpacePrefix: Bool
    ) throws(TokenizerError) {
        guard !tokens.isEmpty, scores.count == tokens.count, types.count == tokens.count else {
            throw TokenizerError(
                .invalidVocabulary,
                "SentencePiece vocabulary: \(tokens.count) tokens, "
                    + "\(scores.count) scores and \(types.count) types must be equal in number and non-zero")
        }
        for id in [bosTokenID, eosTokenID, padTokenID, unkTokenID].compactMap({ $0 }) where id < 0 || id >= tokens.count
        {
            throw TokenizerError(
                .idOutOfRange, "special token id \(id) is outside the vocabulary (0..<\(tokens.count))")
        }
        pieces = tokens.map { Array($0.utf8) }
        self.scores = scores
        self.types = types.map { TokenType(rawValue: $0) ?? .normal }
        var ids: [[UInt8]: Int] = [:]
        var byteTokens = [Int?](repeating: nil, count: 256)
        var specials: [(bytes: [UInt8], id: Int)] = []
        var spaceRuns: [(bytes: [UInt8], id: Int)] = []
        for (id, piece) in pieces.enumerated() {
            if ids[piece] == nil { ids[piece] = id }
            switch self.types[id] {
            case .byte:
                if let value = ByteToken.value(of: piece) { byteTokens[Int(value)] = id }
            case .userDefined where !piece.isEmpty && piece.allSatisfy({ $0 == 0x20 }):
                let metaspaced = Array(repeating: Self.metaspace, count: piece.count).flatMap { $0 }
                spaceRuns.append((metaspaced, id))
                if ids[metaspaced] == nil { ids[metaspaced] = id }
            case .control, .userDefined, .unknown:
                if !piece.isEmpty { specials.append((piece, id)) }
            default:
                break
            }
        }
        func longestFirst(_ a: (bytes: [UInt8], id: Int), _ b: (bytes: [UInt8], id: Int)) -> Bool {
            a.bytes.count > b.bytes.count || (a.bytes.count == b.bytes.count && a.id < b.id)
        }
        self.ids = ids
        self.byteTokens = byteTokens
        self.specials = specials.sorted(by: longestFirst)
        self.spaceRuns = spaceRuns.sorted(by: longestFirst)
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
        self.unkTokenID = unkTokenID
        self.addsBOS = addsBOS
        self.addSpacePrefix = addSpacePrefix
    }

    public var vocabularySize: Int { pieces.count }

    public func encode(_ text: String) throws -> [Int] {
        var output: [Int] = addsBOS ? bosTokenID.map { [$0] } ?? [] : []
        var afterSpecial = true
        for fragment in Self.partition(Array(text.utf8), by: specials) {
            switch fragment {
            case .token(let id):
                output.append(id)
                afterSpecial = true
            case .raw(let bytes):
                var normalized: [UInt8] = addSpacePrefix && afterSpecial ? Self.metaspace : []
                for byte in bytes {
                    if byte == 0x20 { normalized += Self.metaspace } else { normalized.append(byte) }
                }
                for piece in Self.partition(normalized, by: spaceRuns) {
                    switch piece {
                    case .token(let id): output.append(id)
                    case .raw(let rest): merge(rest, into: &output)
                    }
                }
                afterSpecial = false
            }
        }
        return output
    }

    private enum Fragment {
        case raw([UInt8])
        case token(Int)
    }

    /// Splits `pieces` (longest first) out of the text, each at every non-overlapping occurrence left to right.
    private static func partition(_ text: [UInt8], by pieces: [(bytes: [UInt8], id: Int)]) -> [Fragment] {
        var fragments: [Fragment] = text.isEmpty ? [] : [.raw(text)]
        for special in pieces where contains(text, special.bytes) {
            var next: [Fragment] = []
            for fragment in fragments {
                guard case .raw(let bytes) = fragment else {
                    next.append(fragment)
                    continue
                }
                var start = 0, i = 0
                while i + special.bytes.count <= bytes.count {
                    if bytes[i] == special.bytes[0], bytes[i..<(i + special.bytes.count)].elementsEqual(special.bytes) {
                        if i > start { next.append(.raw(Array(bytes[start..<i]))) }
                        next.append(.token(special.id))
                        i += special.bytes.count
                        start = i
                    } else {
                        i += 1
                    }
                }
                if start < bytes.count { next.append(.raw(Array(bytes[start...]))) }
            }
            fragments = next
        }
        return fragments
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The SPM merge of one normalised fragment, appending token ids.
    private func merge(_ bytes: [UInt8], into output: inout [Int]) {
        guard !bytes.isEmpty else { return }
        // Symbols: UTF-8 characters as byte ranges in a doubly linked list.
        var starts: [Int] = [], lengths: [Int] = []
        var i = 0
        while i < bytes.count {
            let length = min(UTF8Bytes.sequenceLength(lead: bytes[i]), bytes.count - i)
            starts.append(i)
            lengths.append(length)
            i += length
        }
        let count = starts.count
        var previous = (0..<count).map { $0 - 1 }
        var next = (0..<count).map { $0 + 1 < count ? $0 + 1 : -1 }
        var queue = BigramQueue()

        func push(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let size = lengths[left] + lengths[right]
            guard let id = ids[Array(bytes[starts[left]..<(starts[left] + size)])] else { return }
            queue.push(Bigram(left: left, right: right, score: scores[id], size: size))
        }
        for s in 0..<(count - 1) { push(s, s + 1) }
        while let bigram = queue.pop() {
            let left = bigram.left, right = bigram.right
            // Stale: one side was merged away, or the pair's lengths changed since it was queued.
            guard lengths[left] > 0, lengths[right] > 0, lengths[left] + lengths[right] == bigram.size,
                next[left] == right
            else { continue }
            lengths[left] += lengths[right]
            lengths[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[next[right]] = left }
            push(previous[left], left)
            push(left, next[left])
        }
        var s = 0
        while s >= 0 {
            let piece = Array(bytes[starts[s]..<(starts[s] + lengths[s])])
            if let id = ids[piece] {
                output.append(id)
            } else {
                for byte in piece { if let id = byteTokens[Int(byte)] { output.append(id) } }
            }
            s = next[s]
        }
    }

    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            guard id >= 0, id < pieces.count else {
                bytes += Array("<unk id \(id)>".utf8)
                continue
            }
            bytes += text(of: id)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes a token stands for: its byte for byte tokens, `▁` as space for normal ones, the text otherwise.
    private func text(of id: Int) -> [UInt8] {
        let piece = pieces[id]
        switch types[id] {
        case .byte:
            return ByteToken.value(of: piece).map { [$0] } ?? piece
        case .normal, .unused:
            var result: [UInt8] = []
            var i = 0
            while i < piece.count {
                if i + 3 <= piece.count, piece[i..<(i + 3)].elementsEqual(Self.metaspace) {
                    result.append(0x20)
                    i += 3
                } else {
                    result.append(piece[i])
                    i += 1
                }
            }
            return result
        default:
            return piece
        }
    }

    public func displayString(for id: Int) -> String {
        guard id >= 0, id < pieces.count else { return "<unk id \(id)>" }
        return TokenDisplay.render(bytes: text(of: id))
    }
}

/// A candidate merge of two adjacent symbols.
private struct Bigram {
    let left: Int
    let right: Int
    let score: Float
    let size: Int

    /// Higher score first; on equal scores the leftmost pair.
    func precedes(_ other: Bigram) -> Bool {
        score > other.score || (score == other.score && left < other.left)
    }
}

/// A binary max-heap of bigrams by `Bigram.precedes`.
private struct BigramQueue {
    private var items: [Bigram] = []

    mutating func push(_ item: Bigram) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Bigram? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < items.count, items[left].precedes(items[best]) { best = left }
                if right < items.count, items[right].precedes(items[best]) { best = right }
                if best == parent { break }
                items.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
