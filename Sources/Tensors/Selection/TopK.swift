/// Indices of the largest or smallest values (the one top-k of the engine: predictions, lens, promoted tokens,
/// neurons), in a stable order (ties: lower index first), in `O(count · log k)`.
public enum TopK {
    /// The indices of the `k` largest values, descending.
    public static func largest(_ values: [Float], _ k: Int) -> [Int] {
        values.withUnsafeBufferPointer { largest($0, k) }
    }

    /// The indices of the `k` largest values of a buffer, descending (the same order as the array form).
    public static func largest(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> [Int] {
        select(values.count, k) { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }

    /// The indices of the `k` smallest values, ascending.
    public static func smallest(_ values: [Float], _ k: Int) -> [Int] {
        select(values.count, k) { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }

    /// The first `k` indices of `0..<count` under the strict order `before`, keeping a sorted window of `k`.
    private static func select(_ count: Int, _ k: Int, before: (Int, Int) -> Bool) -> [Int] {
        let k = min(max(0, k), count)
        guard k > 0 else { return [] }
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in 0..<count {
            if best.count == k, !before(i, best[k - 1]) { continue }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(best[mid], i) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(i, at: lo)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
