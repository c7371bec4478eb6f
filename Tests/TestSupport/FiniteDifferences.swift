/// Central finite differences for checking hand-written gradients: `(f(x + h·e_i) − f(x − h·e_i)) / 2h` for every
/// element `i` of a float32 input (or the `indices` given), with `f` evaluated in whatever precision it likes.
public func centralDifferences(
    _ x: [Float], step h: Float, indices: [Int]? = nil, _ f: ([Float]) -> Double
) -> [Double] {
    (indices ?? Array(x.indices)).map { i in
        var plus = x, minus = x
        plus[i] += h
        minus[i] -= h
        // The step as float32 actually took it.
        let taken = Double(plus[i]) - Double(minus[i])
        return (f(plus) - f(minus)) / taken
    }
}

/// The largest `|analytic − numeric|` over the largest `|numeric|`: the relative error of a gradient check, read
/// against the gradient's own scale so near-zero entries do not dominate.
public func gradientError<A: Collection<Float>>(_ analytic: A, _ numeric: [Double]) -> Double where A.Index == Int {
    precondition(analytic.count == numeric.count, "gradient sizes differ")
    let scale = numeric.map(abs).max() ?? 0
    var worst = 0.0
    for (a, e) in zip(analytic, numeric) { worst = max(worst, abs(Double(a) - e)) }
    return scale == 0 ? worst : worst / scale
}

/// `Σ g_i · y_i` in Double: the scalar whose gradient with respect to `y` is `g`, for checking a kernel's backward
/// with a random upstream gradient.
public func weightedSum<A: Collection<Float>>(_ y: A, _ g: [Float]) -> Double {
    zip(y, g).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}
