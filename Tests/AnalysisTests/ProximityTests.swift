import Analysis
import Testing

/// The proximity measure and threshold rule against the values of LLM-TT's own unit tests
/// (`docs/contributions.md` §1.11, p = 2).
@Suite("Proximity contributions: LLM-TT's unit-test values")
struct ProximityTests {
    @Test("attention case: pre (2,1), mid (2,2), parts (1,1) and (−1,0)")
    func attentionCase() {
        let w = Proximity.weights(parts: [[1, 1], [-1, 0]], oneOff: [2, 1], whole: [2, 2], norm: .l2)
        #expect(abs(w.parts[0] - 0.43613) < 5e-6)
        #expect(abs(w.parts[1]) < 5e-6)
        #expect(abs(w.oneOff - 0.56387) < 5e-6)
    }

    @Test("neuron case: pre (1,1), post (4,4), neurons (1,1) and (2,2)")
    func neuronCase() {
        let w = Proximity.weights(parts: [[1, 1], [2, 2]], oneOff: [1, 1], whole: [4, 4], norm: .l2)
        #expect(abs(w.parts[0] - 0.25) < 5e-6)
        #expect(abs(w.parts[1] - 0.5) < 5e-6)
        #expect(abs(w.oneOff - 0.25) < 5e-6)
    }

    @Test("renormalise at 0.1: blocks [[0.05, 0.15], [0.05, 0.05]], residual [0.8, 0.9]")
    func renormalizeCase() {
        // Two targets with two (source, head) parts each: target 0 sees source 0 through heads 0 and 1; target 1's
        // parts sit on source 1.
        let c = AttentionContributions(
            layer: 0, tokens: 2, heads: 2, window: nil,
            weights: [0.05, 0.15, 0, 0, 0, 0, 0.05, 0.05], residual: [0.8, 0.9],
            biasL1: [0, 0])
        let t = c.thresholded(0.1)
        #expect(t.weight(target: 0, source: 0, head: 0) == 0)
        #expect(abs(t.weight(target: 0, source: 0, head: 1) - 0.157894) < 1e-6)
        #expect(t.weight(target: 1, source: 1, head: 0) == 0 && t.weight(target: 1, source: 1, head: 1) == 0)
        // Stored row by row: target 0's one source, then target 1's two.
        #expect(c.bandedWeights == [0.05, 0.15, 0, 0, 0.05, 0.05])
        #expect(t.bandedWeights.count == 6 && t.weight(target: 0, source: 1, head: 0) == 0)
        #expect(abs(t.residual[0] - 0.842105) < 1e-6)
        #expect(t.residual[1] == 1)
    }

    @Test("L1 proximity: the 1e-6 shift is added to the difference, the floor is 1e-5")
    func l1Definition() {
        // ‖y‖₁ = 4; |c − y + 1e-6| summed: |−1 + 1e-6| + |1e-6| = 1 → proximity 3. A positive difference shows
        // the shift's sign: c = (3, 2) gives |1 + 1e-6| + |1e-6| = 1 + 2e-6.
        #expect(abs(Proximity.proximity(part: [1, 2] as [Float], whole: [2, 2] as [Float]) - 3) < 1e-12)
        #expect(abs(Proximity.proximity(part: [3, 2] as [Float], whole: [2, 2] as [Float]) - (3 - 2e-6)) < 1e-12)
        // A part far from the whole is clipped to the floor.
        #expect(Proximity.proximity(part: [-10, -10] as [Float], whole: [2, 2] as [Float]) == 1e-5)
    }
}
