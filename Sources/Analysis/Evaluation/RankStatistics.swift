/// The rank statistics of explainer evaluation (`docs/analyses.md` §7): score orders, average ranks, Spearman
/// correlation and top-k overlap. Pure functions of score vectors, in Double.
public enum RankStatistics {
    /// Positions in decreasing order of score; equal scores keep the lower position first.
    public static func order(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// Ranks from 1 (the lowest score) to `n` (the highest); equal scores share the mean of their ranks.
    public static func averageRanks(_ scores: [Double]) -> [Double] {
        let ascending = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < ascending.count {
            var end = start + 1
            while end < ascending.count && scores[ascending[end]] == scores[ascending[start]] { end += 1 }
            // Ranks start + 1 … end share their mean.
            let mean = Double(start + 1 + end) / 2
            for i in start..<end { ranks[ascending[i]] = mean }
            start = end
        }
        return ranks
    }

    /// Spearman's ρ: the Pearson correlation of the average ranks. Nil when the vectors differ in length, have
    /// fewer than two entries, or either is constant (its ranks have no variance).
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count == b.count, a.count >= 2 else { return nil }
        return pearson(averageRanks(a), averageRanks(b))
    }

    /// The Pearson correlation, nil when either vector has no variance.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double? {
        let n = Double(a.count)
        let meanA = a.reduce(0, +) / n, meanB = b.reduce(0, +) / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        guard varianceA > 0, varianceB > 0 else { return nil }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    /// `|top_k(a) ∩ top_k(b)| / k`, each top `k` taken by `order` (ties to the lower position).
    public static func topKOverlap(_ a: [Double], _ b: [Double], k: Int) -> Double {
        precondition(a.count == b.count && k >= 1 && k <= a.count, "top-k overlap needs 1 ≤ k ≤ n")
        let top = Set(order(a).prefix(k))
        return Double(order(b).prefix(k).filter(top.contains).count) / Double(k)
    }

    /// Normalised ranks in `[0, 1]`: `(average rank − 1) / (n − 1)`, 1 for the highest score (0.5 for one entry).
    public static func normalizedRanks(_ scores: [Double]) -> [Double] {
        guard scores.count > 1 else { return scores.map { _ in 0.5 } }
        let n = Double(scores.count)
        return averageRanks(scores).map { ($0 - 1) / (n - 1) }
    }

    /// The count of positions in the top `percent` %: `ceil(percent / 100 · n)` in integers.
    public static func topCount(percent: Int, of n: Int) -> Int {
        (percent * n + 99) / 100
    }
}
