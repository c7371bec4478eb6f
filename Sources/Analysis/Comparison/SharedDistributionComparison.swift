import Foundation

/// Two next-token distributions compared on the vocabulary strings both models have (`VocabularyAlignment`). Each
/// distribution's mass on strings the other model lacks is reported, never dropped silently; the divergences are
/// between the two distributions renormalised over the shared strings.
public struct SharedDistributionComparison: Sendable {
    /// The shared strings.
    public let shared: [String]
    /// `p_A(s)` and `p_B(s)` for each shared string (not renormalised).
    public let probabilitiesA: [Double]
    public let probabilitiesB: [Double]
    /// Each model's probability on tokens whose string the other model lacks.
    public let outsideA: Double
    public let outsideB: Double

    public init(
        shared: [String], probabilitiesA: [Double], probabilitiesB: [Double], outsideA: Double, outsideB: Double
    ) {
        self.shared = shared
        self.probabilitiesA = probabilitiesA
        self.probabilitiesB = probabilitiesB
        self.outsideA = outsideA
        self.outsideB = outsideB
    }

    /// `Σ_s p_A(s)` over the shared strings.
    public var sharedMassA: Double { probabilitiesA.reduce(0, +) }
    public var sharedMassB: Double { probabilitiesB.reduce(0, +) }

    /// `KL(p̃_A ‖ p̃_B)` in nats, `p̃` renormalised over the shared strings; +∞ when B gives 0 to a string A does not,
    /// NaN when either side has no mass on the shared strings.
    public var klAB: Double { Self.kl(probabilitiesA, sharedMassA, probabilitiesB, sharedMassB) }
    /// `KL(p̃_B ‖ p̃_A)`.
    public var klBA: Double { Self.kl(probabilitiesB, sharedMassB, probabilitiesA, sharedMassA) }

    /// The Jensen–Shannon divergence of `p̃_A` and `p̃_B` in nats (at most `log 2`).
    public var jensenShannon: Double {
        let ma = sharedMassA, mb = sharedMassB
        guard ma > 0, mb > 0 else { return .nan }
        var total = 0.0
        for i in shared.indices {
            let a = probabilitiesA[i] / ma, b = probabilitiesB[i] / mb, m = 0.5 * (a + b)
            if a > 0 { total += 0.5 * a * Foundation.log(a / m) }
            if b > 0 { total += 0.5 * b * Foundation.log(b / m) }
        }
        return total
    }

    /// The total variation distance `½ Σ |p̃_A − p̃_B|`.
    public var totalVariation: Double {
        let ma = sharedMassA, mb = sharedMassB
        guard ma > 0, mb > 0 else { return .nan }
        var total = 0.0
        for i in shared.indices { total += abs(probabilitiesA[i] / ma - probabilitiesB[i] / mb) }
        return 0.5 * total
    }

    /// Indices into `shared` of the `k` strings with the largest `max(p_A, p_B)`, largest first (ties by index).
    public func top(_ k: Int) -> [Int] {
        let scored = shared.indices.map { (i: $0, p: max(probabilitiesA[$0], probabilitiesB[$0])) }
        return scored.sorted { $0.p != $1.p ? $0.p > $1.p : $0.i < $1.i }.prefix(max(0, k)).map(\.i)
    }

    static func kl(_ p: [Double], _ mp: Double, _ q: [Double], _ mq: Double) -> Double {
        guard mp > 0, mq > 0 else { return .nan }
        var total = 0.0
        for i in p.indices where p[i] > 0 {
            let a = p[i] / mp, b = q[i] / mq
            if b == 0 { return .infinity }
            total += a * Foundation.log(a / b)
        }
        return total
    }
}
