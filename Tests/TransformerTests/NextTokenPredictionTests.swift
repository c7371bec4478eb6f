import Foundation
import Testing
import Transformer

@Suite("Top-k next-token predictions")
struct NextTokenPredictionTests {
    @Test("top-k is sorted by logit with softmax probabilities over the whole vocabulary")
    func topK() {
        let logits: [Float] = [1, 3, 2, 3, -1]
        let top = NextTokenPrediction.top(logits, k: 3)
        #expect(top.map(\.id) == [1, 3, 2])
        let total = logits.map { exp(Double($0)) }.reduce(0, +)
        #expect(abs(top[0].probability - exp(3) / total) < 1e-12)
        #expect(abs(top[2].probability - exp(2) / total) < 1e-12)
        #expect(NextTokenPrediction.top(logits, k: 10).count == 5)
        #expect(NextTokenPrediction.top([Float](), k: 3).isEmpty)
        // The large-k path (a full sort) agrees with the small-k path on the shared prefix, ties by lower id.
        let many = (0..<500).map { Float(($0 * 37) % 101) }
        let large = NextTokenPrediction.top(many, k: 100)
        #expect(large.count == 100)
        #expect(Array(large.prefix(40)) == NextTokenPrediction.top(many, k: 40))
        #expect(
            zip(large, large.dropFirst()).allSatisfy { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) })
    }
}
