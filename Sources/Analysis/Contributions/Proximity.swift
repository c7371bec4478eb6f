/// The distance a proximity measure uses: LLM-TT's app uses L1 everywhere; its unit tests use L2.
public enum DistanceNorm: Sendable, Equatable {
    case l1
    case l2
}

/// The proximity contributions of Ferrando & Voita as LLM-TT computes them (`docs/contributions.md` §1.3), written
/// plainly: the reference for the fast kernels and the path for small part sets (FFN, neurons, unit cases).
public enum Proximity {
    /// The `+1e-6` torch's `pairwise_distance` adds to each difference.
    public static let distanceEpsilon = 1e-6
    /// The floor of a proximity: a part never gets exactly 0 and the denominator is never 0.
    public static let floor = 1e-5

    /// `max(‖whole‖ − ‖part − whole + 1e-6‖, 1e-5)` for one part, in Double.
    public static func proximity(
        part: some Collection<Float>, whole: some Collection<Float>,
        norm: DistanceNorm = .l1
    ) -> Double {
        precondition(part.count == whole.count, "part and whole differ in length")
        var size = 0.0, distance = 0.0
        for (c, y) in zip(part, whole) {
            let difference = Double(c) - Double(y) + distanceEpsilon
            switch norm {
            case .l1:
                size += abs(Double(y))
                distance += abs(difference)
            case .l2:
                size += Double(y) * Double(y)
                distance += difference * difference
            }
        }
        if norm == .l2 {
            size = size.squareRoot()
            distance = distance.squareRoot()
        }
        return max(size - distance, floor)
    }

    /// The normalised weights of `parts` followed by `oneOff` (the residual), summing to 1: LLM-TT's
    /// `get_contributions_with_one_off_part`. Returns the part weights and the one-off weight.
    public static func weights(
        parts: [[Float]], oneOff: [Float], whole: [Float],
        norm: DistanceNorm = .l1
    ) -> (parts: [Double], oneOff: Double) {
        let proximities = parts.map { proximity(part: $0, whole: whole, norm: norm) }
        let residual = proximity(part: oneOff, whole: whole, norm: norm)
        let total = proximities.reduce(residual, +)
        return (proximities.map { $0 / total }, residual / total)
    }
}
