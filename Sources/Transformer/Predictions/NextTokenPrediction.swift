import Foundation
import Tensors

/// One candidate next token: its id, raw logit and softmax probability over the whole vocabulary.
public struct NextTokenPrediction: Sendable, Equatable, Codable {
    public let id: Int
    public let logit: Float
    public let probability: Double

    public init(id: Int, logit: Float, probability: Double) {
        self.id = id
        self.logit = logit
        self.probability = probability
    }

    /// The `k` highest logits of `logits`, highest first (ties: lower id first), with probabilities from a softmax
    /// over all of `logits` computed in Double.
    public static func top<C: Collection<Float>>(_ logits: C, k: Int) -> [NextTokenPrediction] {
        Array(logits).withUnsafeBufferPointer { top($0, k: k) }
    }

    /// `top` of a row of logits in place (no copy): the same arithmetic in the same order, so the same bits.
    public static func top(_ values: UnsafeBufferPointer<Float>, k: Int) -> [NextTokenPrediction] {
        guard !values.isEmpty, k > 0 else { return [] }
        // `Sequence.max()`'s comparison, so a NaN logit is treated as before. The first index holding the maximum is
        // what `TopK.largest(values, 1)` answers (it too keeps the earliest of equal values and never lets a NaN
        // replace a number), so top-1 needs no second pass.
        var largest = values[0], first = 0
        for i in 1..<values.count where largest < values[i] {
            largest = values[i]
            first = i
        }
        let maximum = Double(largest)
        let total = softmaxDenominator(values, maximum: maximum)
        return (k == 1 ? [first] : TopK.largest(values, k)).map {
            NextTokenPrediction(id: $0, logit: values[$0], probability: exp(Double(values[$0]) - maximum) / total)
        }
    }

    /// `Σ exp(v − maximum)` over `values` in index order, in Double: the same bits as adding every term, without
    /// computing the terms too small to change the sum.
    ///
    /// Under round-to-nearest, adding `y` with `0 ≤ y < ulp(total)/2` leaves `total` unchanged, so such a term may be
    /// skipped. `exp(x)` is below that bound whenever `x < log(ulp(total)/2)` by more than `exp`'s error (under one
    /// ulp, a relative 2⁻⁵²; the margin here is 10⁻⁶ in `x`). The bound is taken from the running total, which only
    /// grows, so an older bound is a safe (lower) one; it is renewed when the total reaches the next power of two.
    /// With a 262,144-token vocabulary most lens logits lie more than 35 below the largest (~e⁻³⁶ ≈ 2⁻⁵³).
    static func softmaxDenominator(_ values: UnsafeBufferPointer<Float>, maximum: Double) -> Double {
        var total = 0.0
        var skipBelow = -Double.infinity // arguments whose exp cannot change `total`
        var renewAt = 0.0 // the total from which `skipBelow` may be raised
        for v in values {
            let x = Double(v) - maximum
            if x < skipBelow { continue }
            total += exp(x)
            if total >= renewAt, total > 0 {
                skipBelow = log(total.ulp / 2) - 1e-6
                renewAt = total.binade * 2
            }
        }
        return total
    }
}
