import Analysis
import Foundation

/// The next-token distribution after a prompt, read from one row of logits: `log softmax` over the whole vocabulary
/// in Double (`AblationEffects.logSoftmax`), and the figures `glassbox check` takes from it.
public struct NextTokenFigures: Sendable, Equatable {
    public let logits: [Float]
    /// `log p` for every token id.
    public let logProbabilities: [Double]

    public init(logits: some Collection<Float>) {
        self.logits = Array(logits)
        logProbabilities = AblationEffects.logSoftmax(self.logits)
    }

    /// The most likely token (the lowest id on ties, as `NextTokenPrediction.top`).
    public var top1: Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }

    /// `p` of the most likely token.
    public var top1Probability: Double { exp(logProbabilities[top1]) }

    /// `−Σ p log p` in nats (terms with `p = 0` count 0).
    public var entropy: Double {
        var sum = 0.0
        for lp in logProbabilities {
            let p = exp(lp)
            if p > 0 { sum -= p * lp }
        }
        return sum
    }

    public func probability(of id: Int) -> Double { exp(logProbabilities[id]) }

    /// The rank of `id` from 1, in the order of `NextTokenPrediction.top`: higher logits first, ties by lower id.
    public func rank(of id: Int) -> Int {
        let z = logits[id]
        var above = 0
        for (j, value) in logits.enumerated() where value > z || (value == z && j < id) { above += 1 }
        return above + 1
    }
}
