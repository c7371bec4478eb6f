import Foundation
import Tensors

/// The sampling steps of `SamplingParameters` as pure functions of a row of logits.
public enum Sampling {
    /// A token the filters kept, with its final (renormalised) probability.
    public struct Candidate: Sendable, Equatable {
        public let id: Int
        public let probability: Double

        public init(id: Int, probability: Double) {
            self.id = id
            self.probability = probability
        }
    }

    /// `logits` with the repetition penalty applied to every id in `seen` (each once, however often it occurs):
    /// `z / penalty` for `z > 0`, else `z · penalty` (transformers' rule).
    public static func penalized(_ logits: [Float], seen: some Sequence<Int>, penalty: Double) -> [Float] {
        guard penalty != 1 else { return logits }
        var result = logits
        let factor = Float(penalty)
        for id in Set(seen) where id >= 0 && id < result.count {
            result[id] = result[id] > 0 ? result[id] / factor : result[id] * factor
        }
        return result
    }

    /// The greedy choice: the index of the largest logit (ties: the lower index; a NaN never wins).
    public static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices.dropFirst() where logits[best] < logits[i] || logits[best].isNaN { best = i }
        return best
    }

    /// The first `count` indices of `logits` in the order of probability: logit descending, ties by the lower
    /// index. A short prefix is selected (`TopK`), a long one sorted.
    public static func order(_ logits: [Float], first count: Int) -> [Int] {
        let k = min(max(0, count), logits.count)
        if k <= 4096 { return TopK.largest(logits, k) }
        let sorted = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        return Array(sorted.prefix(k))
    }

    /// The distribution after temperature, top-k and top-p (steps 3–5 of `SamplingParameters`), as candidates in
    /// order of probability with probabilities summing to 1; every token when nothing is filtered out.
    public static func filtered(_ logits: [Float], temperature: Double, topK: Int, topP: Double) -> [Candidate] {
        let distribution = SamplingDistribution(logits: logits, temperature: temperature, topK: topK, topP: topP)
        if let kept = distribution.candidates { return kept }
        return order(logits, first: logits.count).map {
            Candidate(id: $0, probability: distribution.probability(of: $0))
        }
    }
}

/// What sampling draws from for one row of (penalised) logits: `softmax(z / T)` restricted to the top-k and the
/// top-p nucleus and renormalised (`SamplingParameters`, steps 3–6).
///
/// When no filter removes anything the kept set is the whole vocabulary; it is then never listed, and a draw walks
/// the tokens in order of probability only as far as it needs (a large vocabulary is sorted only for a draw that
/// lands in its tail).
public struct SamplingDistribution: Sendable {
    /// The kept tokens in order of probability with their final probabilities, or nil when every token is kept.
    public let candidates: [Sampling.Candidate]?
    private let logits: [Float]
    private let temperature: Double
    private let maximum: Double
    /// `Σ exp(z/T − max)` over the kept tokens.
    private let denominator: Double
    private let keptProbability: [Int: Double]

    public init(logits: [Float], temperature: Double, topK: Int, topP: Double) {
        precondition(temperature > 0 && topK >= 0 && topP > 0 && topP <= 1, "validate the parameters first")
        precondition(!logits.isEmpty, "no logits to sample from")
        self.logits = logits
        self.temperature = temperature
        let maximum = Double(logits.max()!) / temperature
        self.maximum = maximum
        func weight(_ id: Int) -> Double { exp(Double(logits[id]) / temperature - maximum) }
        let restricted = topK > 0 && topK < logits.count
        // Step 4: the top-k pool (or the whole vocabulary) and its softmax denominator.
        let poolDenominator: Double
        var ordered: [Int]
        if restricted {
            ordered = Sampling.order(logits, first: topK)
            poolDenominator = ordered.reduce(0) { $0 + weight($1) }
        } else {
            ordered = Sampling.order(logits, first: 64)
            poolDenominator = logits.indices.reduce(0) { $0 + weight($1) }
        }
        // Step 5: the nucleus, in order of probability, until the cumulative probability reaches p.
        var kept: [Int]?
        if topP < 1 {
            var nucleus: [Int] = []
            var cumulative = 0.0
            var index = 0
            while index < (restricted ? ordered.count : logits.count) {
                if index == ordered.count { ordered = Sampling.order(logits, first: ordered.count * 8) }
                nucleus.append(ordered[index])
                cumulative += weight(ordered[index]) / poolDenominator
                index += 1
                if cumulative >= topP { break }
            }
            kept = nucleus
        } else if restricted {
            kept = ordered
        }
        if let kept {
            let weights = kept.map(weight)
            let total = weights.reduce(0, +)
            let candidates = zip(kept, weights).map { Sampling.Candidate(id: $0, probability: $1 / total) }
            self.candidates = candidates
            denominator = total
            keptProbability = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0.probability) })
        } else {
            candidates = nil
            denominator = poolDenominator
            keptProbability = [:]
        }
    }

    /// The final probability of `id`: 0 when a filter removed it.
    public func probability(of id: Int) -> Double {
        guard candidates == nil else { return keptProbability[id] ?? 0 }
        return exp(Double(logits[id]) / temperature - maximum) / denominator
    }

    /// The token the uniform number `u` in [0, 1) selects (step 6): the first candidate, in order of probability,
    /// whose cumulative probability exceeds `u`; the last one if rounding leaves `u` above the total.
    public func sample(uniform u: Double) -> Int {
        if let candidates { return Sampling.pick(candidates, uniform: u) }
        var ordered = Sampling.order(logits, first: 64)
        var cumulative = 0.0
        var index = 0
        while index < logits.count {
            if index == ordered.count { ordered = Sampling.order(logits, first: ordered.count * 8) }
            cumulative += probability(of: ordered[index])
            if u < cumulative { return ordered[index] }
            index += 1
        }
        return ordered[ordered.count - 1]
    }
}

extension Sampling {
    /// The candidate a uniform number `u` in [0, 1) selects: the first whose cumulative probability exceeds `u`
    /// (sums in Double, in the candidates' order), or the last one.
    public static func pick(_ candidates: [Candidate], uniform u: Double) -> Int {
        precondition(!candidates.isEmpty, "nothing to sample from")
        var cumulative = 0.0
        for candidate in candidates {
            cumulative += candidate.probability
            if u < cumulative { return candidate.id }
        }
        return candidates[candidates.count - 1].id
    }
}
