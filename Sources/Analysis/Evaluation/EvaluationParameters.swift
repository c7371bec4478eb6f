/// How an evaluation runs (`docs/analyses.md` §7): which explainers, their attribution settings, the seeds of the
/// random orders and of the noise, the noise level, the fractions of comprehensiveness and sufficiency.
public struct EvaluationParameters: Sendable, Equatable {
    /// The explainers, in report order (default: all six).
    public var methods: [EvaluationMethod]
    /// Integrated-gradient steps `m`.
    public var steps: Int
    /// The baseline row of the perturbations, of integrated gradients and of occlusion.
    public var baseline: AttributionBaseline
    /// Saliency's norm.
    public var norm: AttributionNorm
    /// One random order per seed (default 1 … 8).
    public var randomSeeds: [UInt64]
    /// Percentages of comprehensiveness and sufficiency (default 10, 20, 50).
    public var fractions: [Int]
    /// One noisy copy of `E` per seed (default 1001 … 1003).
    public var noiseSeeds: [UInt64]
    /// Noise level: each coordinate of `E` gets Gaussian noise of standard deviation `σ · μ`, `μ` the mean
    /// `‖e_t‖₂` over the prompt's positions (default 0.01).
    public var sigma: Double
    /// `k` of the top-k overlap; nil: `ceil(20 % · n)`.
    public var topK: Int?

    public static let defaultRandomSeeds: [UInt64] = Array(1...8)
    public static let sigmaRange = 0.0...10.0

    public init(
        methods: [EvaluationMethod] = EvaluationMethod.allCases, steps: Int = 32, baseline: AttributionBaseline = .zero,
        norm: AttributionNorm = .l2, randomSeeds: [UInt64] = defaultRandomSeeds, fractions: [Int] = [10, 20, 50],
        noiseSamples: Int = 3, sigma: Double = 0.01, topK: Int? = nil
    ) {
        self.methods = methods
        self.steps = steps
        self.baseline = baseline
        self.norm = norm
        self.randomSeeds = randomSeeds
        self.fractions = fractions
        self.noiseSeeds = Self.noiseSeeds(count: noiseSamples)
        self.sigma = sigma
        self.topK = topK
    }

    /// The seeds of `count` noisy copies: 1001, 1002, …
    public static func noiseSeeds(count: Int) -> [UInt64] { (0..<max(0, count)).map { 1001 + UInt64($0) } }

    /// The attribution settings of one explainer.
    func attribution(_ method: AttributionMethod) -> AttributionParameters {
        AttributionParameters(method: method, steps: steps, baseline: baseline, norm: norm)
    }

    /// `k` of the top-k overlap for `n` positions.
    public func overlapCount(tokens n: Int) -> Int {
        min(n, max(1, topK ?? RankStatistics.topCount(percent: 20, of: n)))
    }

    /// Throws `EvaluationError` naming the field of the first bad value.
    public func validate(tokens n: Int, vocabSize: Int) throws(EvaluationError) {
        guard !methods.isEmpty else {
            throw EvaluationError(
                field: "methods", "the method list is empty: name at least one of \(EvaluationMethod.names)")
        }
        guard Set(methods).count == methods.count else {
            throw EvaluationError(field: "methods", "a method is named twice")
        }
        guard AttributionParameters.stepRange.contains(steps) else {
            throw EvaluationError(field: "steps", "must be in \(AttributionParameters.stepRange), not \(steps)")
        }
        if case .token(let id) = baseline, id < 0 || id >= vocabSize {
            throw EvaluationError(field: "baseline", "token \(id) is outside the vocabulary (0..<\(vocabSize))")
        }
        guard sigma > 0, sigma.isFinite, Self.sigmaRange.contains(sigma) else {
            throw EvaluationError(
                field: "sigma", "must be above 0 and at most 10 (a multiple of the mean embedding norm), not \(sigma)")
        }
        guard noiseSeeds.count <= 64 else {
            throw EvaluationError(field: "noise_samples", "must be from 0 to 64, not \(noiseSeeds.count)")
        }
        guard !randomSeeds.isEmpty, randomSeeds.count <= 64, Set(randomSeeds).count == randomSeeds.count else {
            throw EvaluationError(field: "random_seeds", "give 1 to 64 distinct seeds")
        }
        guard !fractions.isEmpty, fractions.allSatisfy({ (1...100).contains($0) }) else {
            throw EvaluationError(field: "fractions", "percentages must be from 1 to 100")
        }
        if let topK, topK < 1 || topK > n {
            throw EvaluationError(field: "top_k", "must be from 1 to the prompt's \(n) tokens, not \(topK)")
        }
        guard n >= 2 else {
            throw EvaluationError(field: "prompt", "has 1 token: rankings and curves need at least 2")
        }
    }
}
