/// The pre-tokenization schemes this package implements, named after the model families using them.
public enum PreTokenizerKind: String, Sendable, CaseIterable {
    /// GPT-2's regex (byte-level, `ByteLevel(use_regex: true)`).
    case gpt2
    /// Llama 3's regex (`Split` + `ByteLevel(use_regex: false)`), numbers in pieces of up to 3 digits.
    case llama3
    /// Qwen2's regex: Llama 3's with single-digit number pieces.
    case qwen2
    /// SmolLM's `Digits(individual_digits: true)` followed by GPT-2's regex.
    case smollm

    /// The kind for a GGUF `tokenizer.ggml.pre` value, or nil if it is not one of the supported kinds.
    public init?(ggufName: String) {
        switch ggufName {
        case "gpt2", "gpt-2", "default": self = .gpt2
        case "llama3", "llama-bpe", "llama-v3": self = .llama3
        case "qwen2": self = .qwen2
        case "smollm": self = .smollm
        default: return nil
        }
    }

    /// Splits `text` into pre-tokens (before the byte-level mapping) the way this scheme does.
    public func preTokenize(_ text: String) -> [String] {
        PreTokenizer(kind: self).preTokenize(text)
    }

    var steps: [PreTokenizer.Step] {
        switch self {
        case .gpt2: [.byteLevel(addPrefixSpace: false, useRegex: true)]
        case .llama3: [.split(.llama3), .byteLevel(addPrefixSpace: false, useRegex: false)]
        case .qwen2: [.split(.qwen2), .byteLevel(addPrefixSpace: false, useRegex: false)]
        case .smollm: [.digits(individual: true), .byteLevel(addPrefixSpace: false, useRegex: true)]
        }
    }
}

/// A regex of a `Split` pre-tokenizer that a hand-written scanner implements.
enum SplitPattern: Sendable, Equatable {
    case gpt2
    case llama3
    case qwen2

    static let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"#
        + #"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Regex =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"#
        + #"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The pattern whose regex source is exactly `regex`, or nil.
    init?(regex: String) {
        switch regex {
        case Self.gpt2Regex: self = .gpt2
        case Self.llama3Regex: self = .llama3
        case Self.qwen2Regex: self = .qwen2
        default: return nil
        }
    }

    /// Appends the pieces of `range` under this pattern to `pieces`.
    func scan(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        switch self {
        case .gpt2: GPT2PatternScanner.scan(text, range, into: &pieces)
        case .llama3: LlamaPatternScanner.scan(text, range, maxDigits: 3, into: &pieces)
        case .qwen2: LlamaPatternScanner.scan(text, range, maxDigits: 1, into: &pieces)
        }
    }
}

/// Splits text into pre-tokens, the units BPE encodes independently, as HF's pre-tokenizers do.
///
/// Each step splits every current piece on its own: a regex's look-ahead never sees past the end
/// of the piece it runs on.
struct PreTokenizer: Sendable, Equatable {
    /// One HF pre-tokenizer in the sequence.
    enum Step: Sendable, Equatable {
        /// `Digits`: isolates each number scalar (individual) or each run of them.
        case digits(individual: Bool)
        /// `Split` with a known regex, behaviour "Isolated".
        case split(SplitPattern)
        /// `Split` on a literal string, with any delimiter behaviour.
        case literalSplit(LiteralSplit)
        /// `Metaspace`: spaces to `▁`, a prefix `▁` by the prepend scheme, optionally a cut before each `▁`.
        case metaspace(MetaspaceSplit)
        /// `ByteLevel`: optionally prefixes a space to each piece not starting with one, then optionally
        /// splits it with GPT-2's regex. (The byte mapping itself happens in BPE.)
        case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    }

    let steps: [Step]

    init(steps: [Step]) {
        self.steps = steps
    }

    init(kind: PreTokenizerKind) {
        self.steps = kind.steps
    }

    /// Splits `text`; the pieces are ranges of scalar indices into the returned text. `startsInput` says whether
    /// `text` starts the whole input (it does not after an added token), for Metaspace's prepend scheme "first".
    func split(_ text: Substring, startsInput: Bool) -> (text: ScalarText, pieces: [Range<Int>]) {
        var buffer = ScalarText(text)
        var pieces: [Range<Int>] = buffer.count > 0 ? [0..<buffer.count] : []
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            switch step {
            case .digits(let individual):
                for piece in pieces {
                    Self.splitDigits(buffer, piece, individual: individual, into: &next)
                }
            case .split(let pattern):
                for piece in pieces {
                    pattern.scan(buffer, piece, into: &next)
                }
            case .literalSplit(let split):
                for piece in pieces {
                    split.scan(buffer, piece, into: &next)
                }
            case .metaspace(let metaspace):
                (buffer, next) = metaspace.apply(buffer, pieces, startsInput: startsInput)
            case .byteLevel(let addPrefixSpace, let useRegex):
                if addPrefixSpace {
                    (buffer, pieces) = Self.prefixingSpaces(buffer, pieces)
                }
                if useRegex {
                    for piece in pieces {
                        GPT2PatternScanner.scan(buffer, piece, into: &next)
                    }
                } else {
                    next = pieces
                }
            }
            pieces = next
        }
        return (buffer, pieces)
    }

    /// The pre-tokens of `text`, taken as the whole input, as strings (before the byte-level mapping).
    func preTokenize(_ text: String) -> [String] {
        let (buffer, pieces) = split(text[...], startsInput: true)
        return pieces.map { piece in
            var bytes: [UInt8] = []
            buffer.appendUTF8(piece, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func splitDigits(
        _ text: ScalarText, _ range: Range<Int>, individual: Bool, into pieces: inout [Range<Int>]
    ) {
        var i = range.lowerBound
        while i < range.upperBound {
            let isNumber = text.classes[i].contains(.numeric)
            var j = i + 1
            if !isNumber || !individual {
                while j < range.upperBound, text.classes[j].contains(.numeric) == isNumber { j += 1 }
            }
            pieces.append(i..<j)
            i = j
        }
    }

    /// Copies the pieces into a new text, inserting a space before each piece that does not start with one.
    private static func prefixingSpaces(_ text: ScalarText, _ pieces: [Range<Int>]) -> (ScalarText, [Range<Int>]) {
        var result = ScalarText()
        result.reserveCapacity(text.count + pieces.count)
        var newPieces: [Range<Int>] = []
        newPieces.reserveCapacity(pieces.count)
        for piece in pieces {
            let start = result.count
            if text.scalars[piece.lowerBound] != 0x20 {
                result.append(0x20)
            }
            result.append(contentsOf: text, piece)
            newPieces.append(start..<result.count)
        }
        return (result, newPieces)
    }
}
