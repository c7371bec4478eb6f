/// One generated token and the distribution it came from.
public struct GeneratedToken: Sendable, Equatable {
    /// One candidate of a step's distribution.
    public struct Candidate: Sendable, Equatable {
        public let id: Int
        /// The model's logit (before the repetition penalty).
        public let logit: Float
        /// The model's probability: softmax of the raw logits over the whole vocabulary (in Double).
        public let probability: Double
        /// The probability sampling drew from, after the repetition penalty, temperature, top-k and top-p
        /// (`SamplingParameters`); 0 for a token the filters removed. Greedy: 1 for the chosen token, 0 otherwise.
        public let sampledProbability: Double
        /// Whether this is the token chosen.
        public let chosen: Bool

        public init(id: Int, logit: Float, probability: Double, sampledProbability: Double, chosen: Bool) {
            self.id = id
            self.logit = logit
            self.probability = probability
            self.sampledProbability = sampledProbability
            self.chosen = chosen
        }
    }

    public let id: Int
    /// The piece of the continuation's text this token released (`ContinuationText`): empty for a token whose
    /// character is not complete yet, for the end-of-sequence token and after a stop string.
    public let text: String
    /// Its position in the sequence (the prompt's tokens are `0..<prompt count`).
    public let position: Int
    /// The uniform draw that chose it, or nil for greedy.
    public let uniform: Double?
    /// The most probable tokens by the model's logits (highest first, ties: lower id), and the chosen token if it is
    /// not among them.
    public let candidates: [Candidate]

    public init(id: Int, text: String, position: Int, uniform: Double?, candidates: [Candidate]) {
        self.id = id
        self.text = text
        self.position = position
        self.uniform = uniform
        self.candidates = candidates
    }
}

/// Why generation ended.
public enum StopReason: String, Sendable, Equatable {
    /// `maxNewTokens` tokens were generated.
    case maxNewTokens = "max_new_tokens"
    /// The model produced an end-of-sequence token.
    case endOfSequence = "eos"
    /// A stop string appeared in the text.
    case stopString = "stop_string"
    /// The caller's callback asked to stop.
    case cancelled
}

/// A finished continuation.
public struct Generation: Sendable, Equatable {
    public let promptIDs: [Int]
    public let tokens: [GeneratedToken]
    /// The continuation's text (without an end-of-sequence token's text, cut before a stop string).
    public let text: String
    public let stopReason: StopReason

    /// The generated ids.
    public var ids: [Int] { tokens.map(\.id) }
}
