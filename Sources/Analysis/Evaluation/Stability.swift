/// How stable each explainer is (`docs/analyses.md` §7): Spearman's ρ between its scores on the prompt and on
/// seeded noisy copies of `E`, and on a variant prompt with the same token count.
public struct Stability: Sendable, Equatable {
    /// The noise level `σ` (relative to `μ`).
    public let sigma: Double
    /// `μ`: the mean `‖e_t‖₂` over the prompt's positions; the noise's standard deviation per coordinate is `σ · μ`.
    public let meanEmbeddingNorm: Double
    /// One noisy copy per seed (`SeededOrders.gaussian`).
    public let noiseSeeds: [UInt64]
    /// Per method, in the evaluation's order.
    public let methods: [MethodStability]
    /// The variant's token ids, when one was given.
    public let variantTokens: [Int]?

    public struct MethodStability: Sendable, Equatable {
        public let method: EvaluationMethod
        /// ρ against each noisy copy, in seed order (nil where a score vector is constant).
        public let noise: [Double?]
        /// ρ against the variant prompt.
        public let variant: Double?

        /// The mean of the defined noise correlations.
        public var meanNoise: Double? {
            let defined = noise.compactMap { $0 }
            return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
        }
    }

    /// The noisy input of one seed: `e + σ · μ · z`, `z` standard normal per coordinate, in row-major order.
    public static func noisy(_ input: [Float], sigma: Double, meanNorm: Double, seed: UInt64) -> [Float] {
        let z = SeededOrders.gaussian(count: input.count, seed: seed), scale = sigma * meanNorm
        return zip(input, z).map { Float(Double($0) + scale * $1) }
    }

    /// `μ = (1/n) Σ_t ‖e_t‖₂` of `[n, d]` rows.
    public static func meanNorm(_ input: [Float], dModel d: Int) -> Double {
        let n = input.count / d
        var total = 0.0
        for t in 0..<n {
            var sum = 0.0
            for j in (t * d)..<((t + 1) * d) { sum += Double(input[j]) * Double(input[j]) }
            total += sum.squareRoot()
        }
        return total / Double(n)
    }
}
