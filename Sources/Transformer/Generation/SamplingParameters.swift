/// How the next token is chosen from the logits (`docs/analyses.md` §8), in the order the steps apply:
///
/// 1. `repetitionPenalty` on the logit of every token already in the sequence (prompt and generated; transformers'
///    `RepetitionPenaltyLogitsProcessor`): a positive logit is divided by it, any other multiplied.
/// 2. Greedy: the largest penalised logit (ties: the lower id); nothing below applies and no random number is drawn.
/// 3. `temperature` T: probabilities `softmax(z / T)` (in Double).
/// 4. `topK` k > 0: only the k largest logits stay (ties: the lower id), renormalised.
/// 5. `topP` p < 1 (nucleus): the smallest set of the most probable remaining tokens, taken in order of probability
///    (ties: the lower id), whose cumulative probability reaches p; renormalised.
/// 6. One uniform draw `u` in [0, 1) from `SplitMix64(seed:)`, one per generated token: the candidates in the order
///    of step 5 with their final probabilities `q₁, q₂, …`; the token is the first `i` with `u < q₁ + … + qᵢ` (sums
///    in Double), or the last candidate if rounding leaves `u` above the total.
public struct SamplingParameters: Sendable, Equatable {
    /// Take the most probable token (after the repetition penalty) at every step.
    public var greedy: Bool
    /// Divisor of the logits; must be positive when sampling.
    public var temperature: Double
    /// Keep only the k most probable tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set reaching this cumulative probability; in (0, 1], 1 keeps all.
    public var topP: Double
    /// 1 leaves the logits as they are; must be positive.
    public var repetitionPenalty: Double
    /// Seed of the generator of the draws.
    public var seed: UInt64

    public init(
        greedy: Bool = false, temperature: Double = 1, topK: Int = 0, topP: Double = 1,
        repetitionPenalty: Double = 1, seed: UInt64 = 0
    ) {
        self.greedy = greedy
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    /// Greedy decoding with no penalty: what transformers' `generate(do_sample=False)` does.
    public static let greedy = SamplingParameters(greedy: true)

    /// Checks every value, naming the first bad one.
    public func validate() throws(GenerationError) {
        if !greedy {
            guard temperature > 0, temperature.isFinite else {
                throw .invalid(
                    "temperature", "must be a positive number when sampling, got \(temperature) (use greedy)")
            }
        }
        guard topK >= 0 else { throw .invalid("top_k", "must be 0 (keep all) or more, got \(topK)") }
        guard topP > 0, topP <= 1 else { throw .invalid("top_p", "must be in (0, 1], got \(topP)") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw .invalid("repetition_penalty", "must be a positive number (1 = none), got \(repetitionPenalty)")
        }
    }
}

/// A generation request the user got wrong, or a failure of the pass behind it, in words a user can act on.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// A parameter outside its range: the parameter's name (as the API spells it) and why.
    case invalid(String, String)

    /// The parameter at fault.
    public var parameter: String {
        switch self {
        case .invalid(let name, _): name
        }
    }

    public var description: String {
        switch self {
        case .invalid(let name, let why): "\(name) \(why)"
        }
    }
}
