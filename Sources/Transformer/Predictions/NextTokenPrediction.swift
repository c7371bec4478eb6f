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
        let values = Array(logits)
        guard !values.isEmpty, k > 0 else { return [] }
        let maximum = Double(values.max()!)
        var total = 0.0
        for v in values { total += exp(Double(v) - maximum) }
        return TopK.largest(values, k).map {
            NextTokenPrediction(id: $0, logit: values[$0], probability: exp(Double(values[$0]) - maximum) / total)
        }
    }
}
