import Foundation
import Testing
import Transformer

/// The sampling steps on hand-worked examples (`SamplingParameters`), and the documented generator.
@Suite("Sampling: repetition penalty, temperature, top-k, top-p, the seeded draw")
struct SamplingTests {
    /// Logits whose softmax is 0.4, 0.3, 0.2, 0.1 (ids 0 to 3), up to float32 rounding of the logarithms.
    static let logits: [Float] = [0.4, 0.3, 0.2, 0.1].map { Float(log($0)) }

    static func expectProbabilities(
        _ candidates: [Sampling.Candidate], _ expected: [(Int, Double)], _ label: String
    ) {
        #expect(candidates.map(\.id) == expected.map(\.0), "\(label): ids")
        for (candidate, (_, p)) in zip(candidates, expected) {
            #expect(
                abs(candidate.probability - p) < 1e-6, "\(label): id \(candidate.id) \(candidate.probability) vs \(p)")
        }
        #expect(abs(candidates.map(\.probability).reduce(0, +) - 1) < 1e-12, "\(label): sums to 1")
    }

    @Test("temperature 1 keeps the softmax; temperature 2 takes square roots of the probabilities, renormalised")
    func temperature() {
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 0, topP: 1),
            [(0, 0.4), (1, 0.3), (2, 0.2), (3, 0.1)], "T = 1")
        let roots = [0.4, 0.3, 0.2, 0.1].map { $0.squareRoot() }
        let total = roots.reduce(0, +)
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 2, topK: 0, topP: 1),
            roots.enumerated().map { ($0.offset, $0.element / total) }, "T = 2")
        // T = 0.5 squares them: 0.16, 0.09, 0.04, 0.01 over 0.30.
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 0.5, topK: 0, topP: 1),
            [(0, 0.16 / 0.3), (1, 0.09 / 0.3), (2, 0.04 / 0.3), (3, 0.01 / 0.3)], "T = 0.5")
    }

    @Test("top-k keeps the k most probable, renormalised: 0.4, 0.3, 0.2 → 4/9, 3/9, 2/9")
    func topK() {
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 3, topP: 1), [(0, 4 / 9), (1, 3 / 9), (2, 2 / 9)],
            "k = 3")
        Self.expectProbabilities(Sampling.filtered(Self.logits, temperature: 1, topK: 1, topP: 1), [(0, 1)], "k = 1")
        #expect(Sampling.filtered(Self.logits, temperature: 1, topK: 9, topP: 1).count == 4, "k above the vocabulary")
    }

    @Test("top-p keeps the smallest set reaching p: 0.6 → {0.4, 0.3} = 4/7, 3/7")
    func topP() {
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 0, topP: 0.6), [(0, 4 / 7), (1, 3 / 7)], "p = 0.6")
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 0, topP: 0.35), [(0, 1)], "p = 0.35 (one token)")
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 0, topP: 0.85), [(0, 4 / 9), (1, 3 / 9), (2, 2 / 9)],
            "p = 0.85 → 3 tokens")
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 0, topP: 0.95),
            [(0, 0.4), (1, 0.3), (2, 0.2), (3, 0.1)],
            "p = 0.95 → all 4")
        // Top-k first, then top-p over the renormalised three: 4/9, 7/9 ≥ 0.75 → 4/7, 3/7.
        Self.expectProbabilities(
            Sampling.filtered(Self.logits, temperature: 1, topK: 3, topP: 0.75), [(0, 4 / 7), (1, 3 / 7)], "k 3, p 0.75"
        )
    }

    @Test("ties are broken by the lower token id in top-k, top-p and greedy")
    func ties() {
        let tied: [Float] = [0, 1, 1, 1]
        let each = exp(1.0) / (3 * exp(1.0) + 1)
        #expect(Sampling.filtered(tied, temperature: 1, topK: 2, topP: 1).map(\.id) == [1, 2])
        // p = 0.5: 0.297 then 0.594 ≥ 0.5, so ids 1 and 2, never 3.
        let nucleus = Sampling.filtered(tied, temperature: 1, topK: 0, topP: 0.5)
        #expect(nucleus.map(\.id) == [1, 2] && 2 * each >= 0.5 && each < 0.5)
        #expect(Sampling.argmax(tied) == 1)
        #expect(Sampling.argmax([Float.nan, -1, 2, 2]) == 2)
    }

    @Test("repetition penalty: a positive logit divided, a negative one multiplied, each seen id once")
    func repetitionPenalty() {
        let penalized = Sampling.penalized([2, -1, 0.5, 0], seen: [0, 1, 1, 3], penalty: 2)
        #expect(penalized == [1, -2, 0.5, 0])
        #expect(Sampling.penalized([2, -1], seen: [0, 1], penalty: 1) == [2, -1])
        // Below 1 it rewards repeats: 2 / 0.5 = 4, −1 · 0.5 = −0.5.
        #expect(Sampling.penalized([2, -1], seen: [0, 1], penalty: 0.5) == [4, -0.5])
    }

    @Test("a uniform number picks the first candidate whose cumulative probability exceeds it")
    func pick() {
        let candidates = [Sampling.Candidate(id: 7, probability: 4 / 7), Sampling.Candidate(id: 2, probability: 3 / 7)]
        #expect(Sampling.pick(candidates, uniform: 0) == 7)
        #expect(Sampling.pick(candidates, uniform: 0.5) == 7)
        #expect(Sampling.pick(candidates, uniform: 4.0 / 7 + 1e-12) == 2)
        #expect(Sampling.pick(candidates, uniform: 0.999_999_999) == 2)
        // The unfiltered distribution walks the whole vocabulary in order of probability: 0.4 | 0.7 | 0.9 | 1.
        let all = SamplingDistribution(logits: Self.logits, temperature: 1, topK: 0, topP: 1)
        #expect(all.candidates == nil)
        #expect([0.1, 0.45, 0.75, 0.95].map(all.sample(uniform:)) == [0, 1, 2, 3])
        #expect(abs(all.probability(of: 2) - 0.2) < 1e-6)
        let kept = SamplingDistribution(logits: Self.logits, temperature: 1, topK: 0, topP: 0.6)
        #expect(kept.probability(of: 2) == 0 && abs(kept.probability(of: 1) - 3 / 7) < 1e-6)
    }

    @Test("a large vocabulary: the nucleus and a draw in its tail agree with a full sort")
    func largeVocabulary() {
        var random = SplitMix64(seed: 42)
        let logits = (0..<20_000).map { _ in Float(random.nextUniform() * 8 - 4) }
        let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let maximum = Double(logits.max()!)
        let weights = logits.map { exp(Double($0) - maximum) }
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        var expected: [Int] = []
        for id in order {
            expected.append(id)
            cumulative += weights[id] / total
            if cumulative >= 0.9 { break }
        }
        #expect(expected.count > 512, "the nucleus needs more than the first selections")
        #expect(Sampling.filtered(logits, temperature: 1, topK: 0, topP: 0.9).map(\.id) == expected)
        let all = SamplingDistribution(logits: logits, temperature: 1, topK: 0, topP: 1)
        #expect(
            all.sample(uniform: 0.9999)
                == { () -> Int in
                    var sum = 0.0
                    for id in order {
                        sum += weights[id] / total
                        if 0.9999 < sum { return id }
                    }
                    return order.last!
                }())
    }

    @Test("SplitMix64: the published first outputs of seed 0 and the uniform draw's 53 bits")
    func splitMix() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
        var uniform = SplitMix64(seed: 0)
        #expect(uniform.nextUniform() == Double(UInt64(0xE220_A839_7B1D_CDAF) >> 11) / 9_007_199_254_740_992)
        #expect(abs(SplitMix64(seed: 0).nextUniformCopy() - 0.883_310_808_213_642_6) < 1e-15)
    }

    @Test("bad parameters name the parameter")
    func validation() {
        #expect(
            throws: GenerationError.invalid(
                "temperature", "must be a positive number when sampling, got 0.0 (use greedy)")
        ) {
            try SamplingParameters(temperature: 0).validate()
        }
        #expect(throws: Never.self) { try SamplingParameters(greedy: true, temperature: 0).validate() }
        #expect(throws: GenerationError.invalid("top_p", "must be in (0, 1], got 1.5")) {
            try SamplingParameters(topP: 1.5).validate()
        }
        #expect(throws: GenerationError.invalid("top_p", "must be in (0, 1], got 0.0")) {
            try SamplingParameters(topP: 0).validate()
        }
        #expect(throws: GenerationError.invalid("top_k", "must be 0 (keep all) or more, got -1")) {
            try SamplingParameters(topK: -1).validate()
        }
        #expect(throws: GenerationError.invalid("repetition_penalty", "must be a positive number (1 = none), got 0.0"))
        {
            try SamplingParameters(repetitionPenalty: 0).validate()
        }
    }
}

extension SplitMix64 {
    /// The first uniform draw of a copy (leaves `self` as it is).
    fileprivate func nextUniformCopy() -> Double {
        var copy = self
        return copy.nextUniform()
    }
}
