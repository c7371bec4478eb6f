extension PatternClass {
    /// The most frequent class of `classes` and how often it occurs; a tie goes to the class earlier in the
    /// first-match order (`allCases`), and an empty list gives `mixed` with no vote. A head's class over a prompt set,
    /// as the report counts it.
    public static func vote(_ classes: [PatternClass]) -> (patternClass: PatternClass, count: Int) {
        guard !classes.isEmpty else { return (.mixed, 0) }
        var best = PatternClass.mixed, bestCount = -1
        for candidate in allCases {
            let count = classes.filter { $0 == candidate }.count
            if count > bestCount {
                best = candidate
                bestCount = count
            }
        }
        return (best, bestCount)
    }
}
