/// The result of comparing computed values against a reference, with what a failing test should print.
public struct Comparison: CustomStringConvertible, Sendable {
    /// Label of the compared quantity (e.g. "tiny-gpt2 prompt 1 logits").
    public let label: String
    /// Largest |actual − expected|.
    public let maxAbsoluteDifference: Double
    /// Largest |actual − expected| / (|expected| + floor): the relative error with a floor for values near zero.
    public let maxRelativeDifference: Double
    /// Index of the worst element by the tolerance test.
    public let worstIndex: Int
    /// Whether every element satisfied the tolerance.
    public let passed: Bool
    /// Number of elements compared (0 when the counts differ).
    public let count: Int
    /// The stated tolerance, for the message.
    public let toleranceText: String

    public var description: String {
        "\(label): \(count) values, max |Δ| = \(maxAbsoluteDifference), max rel = \(maxRelativeDifference) "
            + "(worst index \(worstIndex)), tolerance \(toleranceText): \(passed ? "OK" : "NOT OK")"
    }
}

/// Compares `actual` with `expected` element by element: each must satisfy
/// `|a − e| ≤ absolute + relative · |e|`.
///
/// With `relative = 1e-4` and a small `absolute`, this is "1e-4 relative" with a floor for values near zero.
/// The printed summary (max abs and rel difference) is what a failing test shows, as llm.c's `check_tensor` does.
public func compare<A: Collection<Float>>(
    _ actual: A, _ expected: [Double], label: String, relative: Double, absolute: Double
) -> Comparison where A.Index == Int {
    let toleranceText = "|Δ| ≤ \(absolute) + \(relative)·|ref|"
    guard actual.count == expected.count else {
        return Comparison(
            label: label + " (count \(actual.count) vs \(expected.count))", maxAbsoluteDifference: .infinity,
            maxRelativeDifference: .infinity, worstIndex: -1, passed: false, count: 0,
            toleranceText: toleranceText)
    }
    var maxAbs = 0.0, maxRel = 0.0, worst = 0, worstExcess = -Double.infinity
    var passed = true
    var i = 0
    for a in actual {
        let e = expected[i]
        let diff = abs(Double(a) - e)
        let allowed = absolute + relative * abs(e)
        if !(diff <= allowed) { passed = false }
        maxAbs = max(maxAbs, diff.isNaN ? .infinity : diff)
        maxRel = max(maxRel, diff / (abs(e) + absolute))
        if diff - allowed > worstExcess || diff.isNaN {
            worstExcess = diff.isNaN ? .infinity : diff - allowed
            worst = i
        }
        i += 1
    }
    return Comparison(
        label: label, maxAbsoluteDifference: maxAbs, maxRelativeDifference: maxRel, worstIndex: worst,
        passed: passed, count: expected.count, toleranceText: toleranceText)
}
