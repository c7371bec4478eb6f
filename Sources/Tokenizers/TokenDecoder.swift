/// HF's decoder chain for SentencePiece-style tokenizers: each step maps the list of token strings to a new list,
/// and decoding joins the final list. Nested `Sequence`s are flattened into `steps`.
///
/// Gemma's chain is `[Replace("▁" → " "), ByteFallback, Fuse]`; Llama 2's and Mistral's add `Strip(" ", 1, 0)`,
/// which removes the space the prefix `▁` became (Fuse has joined everything into one string by then).
struct TokenDecoder: Sendable, Equatable {
    /// One HF decoder.
    enum Step: Sendable, Equatable {
        /// Replaces each occurrence of a literal pattern (not empty) in each token.
        case replace(pattern: String, content: String)
        /// Turns each run of `<0xXX>` tokens into the text of those bytes; a run that is not valid UTF-8 becomes
        /// one U+FFFD per byte.
        case byteFallback
        /// Joins all tokens into one.
        case fuse
        /// Removes up to `start` leading and `stop` trailing `content` scalars from each token.
        case strip(content: Unicode.Scalar, start: Int, stop: Int)
        /// `▁` → space in each token; in the first token every `▁` is removed instead, unless the scheme is `never`.
        case metaspace(replacement: Unicode.Scalar, prependScheme: MetaspaceSplit.PrependScheme)
    }

    /// The steps in order.
    let steps: [Step]
    /// What goes between the final tokens: a space when the file has no decoder (HF then joins the token strings
    /// with spaces), nothing otherwise.
    let separator: String

    /// A decoder chain of `steps`.
    init(steps: [Step]) {
        self.steps = steps
        separator = ""
    }

    /// The decoding of a tokenizer.json whose decoder is null.
    static let absent = TokenDecoder(steps: [], separator: " ")

    private init(steps: [Step], separator: String) {
        self.steps = steps
        self.separator = separator
    }

    /// The decoded text of `tokens`.
    func decode(_ tokens: [String]) -> String {
        steps.reduce(tokens) { Self.apply($1, to: $0) }.joined(separator: separator)
    }

    private static func apply(_ step: Step, to tokens: [String]) -> [String] {
        switch step {
        case .replace(let pattern, let content):
            let normalizer = TextNormalizer.replace(pattern: pattern, content: content)
            return tokens.map { normalizer.normalize($0) }
        case .byteFallback:
            return fallBackToBytes(tokens)
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { strip($0, content, start: start, stop: stop) }
        case .metaspace(let replacement, let prependScheme):
            return tokens.enumerated().map { index, token in
                var result = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar != replacement {
                        result.append(scalar)
                    } else if index > 0 || prependScheme == .never {
                        result.append(" ")
                    }
                }
                return String(result)
            }
        }
    }

    /// The bytes of one token on its own, for display: a byte token's byte, otherwise the token's text after the
    /// per-token replacements (so `▁the` shows as " the"). The steps that depend on the token's neighbours or
    /// position (Fuse, Strip, Metaspace's first-token rule) are left out.
    func displayBytes(of token: String) -> [UInt8] {
        var text = token
        for step in steps {
            switch step {
            case .replace(let pattern, let content):
                text = TextNormalizer.replace(pattern: pattern, content: content).normalize(text)
            case .byteFallback:
                if let byte = ByteToken.value(of: text.utf8) { return [byte] }
            case .metaspace(let replacement, _):
                text = TextNormalizer.replace(pattern: String(replacement), content: " ").normalize(text)
            case .fuse, .strip:
                break
            }
        }
        return Array(text.utf8)
    }

    private static func fallBackToBytes(_ tokens: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(tokens.count)
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                result.append(text)
            } else {
                result.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for token in tokens {
            if let byte = ByteToken.value(of: token.utf8) {
                pending.append(byte)
            } else {
                flush()
                result.append(token)
            }
        }
        flush()
        return result
    }

    private static func strip(_ token: String, _ content: Unicode.Scalar, start: Int, stop: Int) -> String {
        let scalars = Array(token.unicodeScalars)
        var lower = 0
        while lower < min(start, scalars.count), scalars[lower] == content { lower += 1 }
        var upper = scalars.count
        // HF panics when the two cuts overlap; here the token becomes empty.
        while scalars.count - upper < stop, upper > lower, scalars[upper - 1] == content { upper -= 1 }
        return String(String.UnicodeScalarView(scalars[lower..<upper]))
    }
}
