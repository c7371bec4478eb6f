/// How far the explainers agree (`docs/analyses.md` §7): Spearman's ρ and the top-k overlap of every pair, and the
/// consensus ranking with each explainer's ρ against it.
public struct Agreement: Sendable, Equatable {
    public let methods: [EvaluationMethod]
    /// `k` of the overlap.
    public let k: Int
    /// `spearman[i][j]`: ρ of methods `i` and `j` (1 on the diagonal; nil where either is constant).
    public let spearman: [[Double?]]
    /// `overlap[i][j]`: `|top_k(i) ∩ top_k(j)| / k`.
    public let overlap: [[Double]]
    public let consensus: Consensus

    /// The aggregate ranking: the mean over explainers of their normalised ranks (`RankStatistics.normalizedRanks`,
    /// 1 for a method's highest score).
    public struct Consensus: Sendable, Equatable {
        /// Per position, in `[0, 1]`.
        public let scores: [Double]
        /// Positions by decreasing consensus score (ties to the lower position).
        public let order: [Int]
        /// ρ of each method against the consensus scores, in `methods` order.
        public let spearman: [Double?]
        /// The methods that disagree most with it: the two lowest ρ (one when two methods are compared), lowest
        /// first; a constant method (ρ nil) counts as the lowest.
        public let mostDisagreeing: [EvaluationMethod]
    }

    /// The agreement of `scores[i]`, the scores of `methods[i]`.
    public static func compute(methods: [EvaluationMethod], scores: [[Double]], k: Int) -> Agreement {
        precondition(methods.count == scores.count && !scores.isEmpty)
        let m = methods.count
        var spearman = [[Double?]](repeating: [Double?](repeating: nil, count: m), count: m)
        var overlap = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0..<m {
            for j in i..<m {
                let rho = i == j ? 1 : RankStatistics.spearman(scores[i], scores[j])
                let shared = RankStatistics.topKOverlap(scores[i], scores[j], k: k)
                (spearman[i][j], spearman[j][i], overlap[i][j], overlap[j][i]) = (rho, rho, shared, shared)
            }
        }
        let normalized = scores.map(RankStatistics.normalizedRanks)
        let n = scores[0].count
        let consensus = (0..<n).map { t in normalized.reduce(0.0) { $0 + $1[t] } / Double(m) }
        let against = scores.map { RankStatistics.spearman($0, consensus) }
        let ranked = methods.indices.sorted {
            let a = against[$0] ?? -.infinity, b = against[$1] ?? -.infinity
            return a < b || (a == b && $0 < $1)
        }
        let named = m <= 1 ? [] : ranked.prefix(m == 2 ? 1 : 2).map { methods[$0] }
        return Agreement(
            methods: methods, k: k, spearman: spearman, overlap: overlap,
            consensus: Consensus(
                scores: consensus, order: RankStatistics.order(consensus), spearman: against,
                mostDisagreeing: named))
    }
}
