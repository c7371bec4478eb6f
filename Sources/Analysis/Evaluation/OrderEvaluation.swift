/// The faithfulness of one order of the positions (`docs/analyses.md` §7): its deletion and insertion curves and
/// their areas, and comprehensiveness and sufficiency at each percentage.
public struct OrderEvaluation: Sendable, Equatable {
    /// The positions, most important first.
    public let order: [Int]
    public let deletion: FaithfulnessCurve
    public let insertion: FaithfulnessCurve
    /// `f(E) − f(E without the top ceil(p/100 · n) positions)` by percentage `p`: the deletion curve at that step.
    public let comprehensiveness: [Int: Double]
    /// `f(E) − f(E with only them)`: the insertion curve at that step.
    public let sufficiency: [Int: Double]

    public init(order: [Int], deletion: FaithfulnessCurve, insertion: FaithfulnessCurve, fractions: [Int]) {
        precondition(deletion.values.count == order.count + 1 && insertion.values.count == order.count + 1)
        self.order = order
        self.deletion = deletion
        self.insertion = insertion
        let n = order.count, value = deletion.values[0]
        var comprehensiveness: [Int: Double] = [:], sufficiency: [Int: Double] = [:]
        for p in fractions {
            let count = RankStatistics.topCount(percent: p, of: n)
            comprehensiveness[p] = value - deletion.values[count]
            sufficiency[p] = value - insertion.values[count]
        }
        self.comprehensiveness = comprehensiveness
        self.sufficiency = sufficiency
    }
}

/// One random order of the chance baseline: its seed (`SeededOrders.permutation`) and its faithfulness.
public struct RandomOrderEvaluation: Sendable, Equatable {
    public let seed: UInt64
    public let evaluation: OrderEvaluation
}
