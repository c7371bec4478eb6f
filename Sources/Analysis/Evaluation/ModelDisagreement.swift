/// Two models' explanations of one text compared word by word (`docs/analyses.md` §7). Each model tokenises the text
/// itself, so positions do not correspond: each token's score is spread evenly over the characters (Unicode scalars)
/// it covers, a word's score is the sum over its characters, and the models are compared by Spearman's ρ over the
/// words. Words are maximal runs of non-whitespace characters.
public struct ModelDisagreement: Sendable, Equatable {
    public struct Word: Sendable, Equatable {
        public let text: String
        /// Unicode-scalar offsets in the text.
        public let range: Range<Int>
        /// The word's score under each model.
        public let scores: (Double, Double)
        /// Normalised ranks among the words (1 the highest), per model.
        public let ranks: (Double, Double)
        /// `|rank₀ − rank₁|`.
        public var divergence: Double { abs(ranks.0 - ranks.1) }

        public static func == (a: Word, b: Word) -> Bool {
            a.text == b.text && a.range == b.range && a.scores == b.scores && a.ranks == b.ranks
        }
    }

    /// The words in text order.
    public let words: [Word]
    /// ρ of the two models' word scores (nil with fewer than two words or a constant side).
    public let spearman: Double?
    /// Indices of the words whose normalised ranks differ by at least `divergenceThreshold`, most divergent first.
    public let diverging: [Int]

    /// Words whose ranks differ by half the range or more diverge.
    public static let divergenceThreshold = 0.5

    /// Compares the scores of two tokenisations of `text`: `spans[i]` is token `i`'s Unicode-scalar range
    /// (empty for tokens with no characters, such as BOS).
    public init(text: String, spans: ([Range<Int>], [Range<Int>]), scores: ([Double], [Double])) {
        let length = text.unicodeScalars.count
        let chars0 = Self.characterScores(length: length, spans: spans.0, scores: scores.0)
        let chars1 = Self.characterScores(length: length, spans: spans.1, scores: scores.1)
        let found = Self.words(in: text)
        let word0 = found.map { w in w.range.reduce(0.0) { $0 + chars0[$1] } }
        let word1 = found.map { w in w.range.reduce(0.0) { $0 + chars1[$1] } }
        let ranks0 = RankStatistics.normalizedRanks(word0), ranks1 = RankStatistics.normalizedRanks(word1)
        words = found.indices.map { i in
            Word(
                text: found[i].text, range: found[i].range, scores: (word0[i], word1[i]), ranks: (ranks0[i], ranks1[i]))
        }
        spearman = RankStatistics.spearman(word0, word1)
        let words = words
        diverging = words.indices.filter { words[$0].divergence >= Self.divergenceThreshold }.sorted {
            words[$0].divergence > words[$1].divergence
                || (words[$0].divergence == words[$1].divergence && $0 < $1)
        }
    }

    /// Per character, the score of the token covering it divided by the token's length (0 where none does).
    public static func characterScores(length: Int, spans: [Range<Int>], scores: [Double]) -> [Double] {
        precondition(spans.count == scores.count, "one span per score")
        var out = [Double](repeating: 0, count: length)
        for (span, score) in zip(spans, scores) where !span.isEmpty {
            let clamped = span.clamped(to: 0..<length)
            for c in clamped { out[c] += score / Double(span.count) }
        }
        return out
    }

    /// Maximal runs of non-whitespace Unicode scalars, with their offsets.
    public static func words(in text: String) -> [(text: String, range: Range<Int>)] {
        var result: [(String, Range<Int>)] = [], current = String.UnicodeScalarView(), start = 0
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { result.append((String(current), start..<i)) }
                current = String.UnicodeScalarView()
            } else {
                if current.isEmpty { start = i }
                current.append(scalar)
            }
        }
        if !current.isEmpty { result.append((String(current), start..<text.unicodeScalars.count)) }
        return result
    }
}
