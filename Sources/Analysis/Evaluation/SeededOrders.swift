import Foundation
import Transformer

/// The seeded random numbers of explainer evaluation, reproducible from their seeds on any machine and in the numpy
/// reference (`tools/references/make_evaluation_fixtures.py`): SplitMix64 (`Transformer/Generation/SplitMix64.swift`) drives a
/// Fisher–Yates shuffle for the random orders and Box–Muller for the Gaussian noise.
public enum SeededOrders {
    /// A random permutation of `0..<n`: from the identity, for `i = n−1` down to 1, swap `i` with
    /// `j = next() mod (i + 1)`.
    public static func permutation(count n: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var order = Array(0..<n)
        var i = n - 1
        while i > 0 {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// `count` standard normal numbers: each from two uniforms `u₁, u₂` (`SplitMix64.nextUniform`, in that order) as
    /// `√(−2 ln(1 − u₁)) · cos(2π u₂)`.
    public static func gaussian(count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let u1 = generator.nextUniform(), u2 = generator.nextUniform()
            return (-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        }
    }
}
