/// A deletion or insertion curve (`docs/analyses.md` §7): `f` after each of the `n` steps of one order, `n + 1`
/// values from `k = 0`, and its area by the trapezoid rule over the fraction `k/n ∈ [0, 1]`.
public struct FaithfulnessCurve: Sendable, Equatable {
    /// `f` after `k` steps, `k = 0 … n`.
    public let values: [Double]
    /// `Σ_{k=1…n} (values[k−1] + values[k]) / 2 · 1/n`.
    public let auc: Double

    public init(values: [Double]) {
        precondition(values.count >= 2, "a curve needs at least one step")
        self.values = values
        auc = Self.area(values)
    }

    /// The trapezoid rule over `k/n`, `n = values.count − 1`.
    public static func area(_ values: [Double]) -> Double {
        let n = values.count - 1
        var sum = 0.0
        for k in 1...n { sum += (values[k - 1] + values[k]) / 2 }
        return sum / Double(n)
    }
}

/// Which of the two curves a perturbed input belongs to.
public enum CurveKind: String, Sendable, Equatable, CaseIterable {
    /// Start from the prompt, replace positions by the baseline row in the order (lower area is better).
    case deletion
    /// Start from the all-baseline input, restore positions in the order (higher area is better).
    case insertion
}

/// The positions whose rows are the baseline's (the rest keep the prompt's rows) after `k` steps of `order`.
struct PerturbationMask: Hashable, Sendable {
    /// One flag per position: true where the row is the baseline's.
    let baseline: [Bool]

    init(kind: CurveKind, order: [Int], steps k: Int) {
        let n = order.count
        var flags = [Bool](repeating: kind == .insertion, count: n)
        for t in order.prefix(k) { flags[t] = kind == .deletion }
        baseline = flags
    }

    /// The `[n, d]` rows: the baseline's where flagged, the input's elsewhere.
    func rows(input: [Float], baseline rows: [Float], dModel d: Int) -> [Float] {
        var out = input
        for (t, flag) in baseline.enumerated() where flag {
            for j in (t * d)..<((t + 1) * d) { out[j] = rows[j] }
        }
        return out
    }
}
