import Foundation

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
        var best: [(id: Int, logit: Float)] = []
        if k > 64 {
            // Large k: one sort of all ids, O(V log V) instead of O(V·k).
            best = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
                .prefix(k).map { ($0, values[$0]) }
        } else {
            // Small k: keep the best k in a small sorted buffer (one pass over the vocabulary).
            best.reserveCapacity(k + 1)
            for (id, v) in values.enumerated() {
                if best.count == k, let last = best.last, !(v > last.logit) { continue }
                let index = best.firstIndex { v > $0.logit } ?? best.count
                best.insert((id, v), at: index)
                if best.count > k { best.removeLast() }
            }
        }
        return best.map { NextTokenPrediction(id: $0.id, logit: $0.logit,
                                              probability: exp(Double($0.logit) - maximum) / total) }
    }
}
