import Testing

import Analysis

/// Attention contributions are stored row by row for the parts only: the lower triangle, or the band of a sliding
/// window, instead of `n·n·H` floats.
@Suite("Banded storage of attention contributions")
struct BandedContributionTests {
    @Test(
        "row starts are the running sums of the visible sources, with and without a window", arguments: [nil, 1, 3, 7])
    func rowStarts(window: Int?) {
        var running = 0
        for q in 0..<40 {
            #expect(
                AttentionContributions.rowStart(q, window: window) == running,
                "q \(q) window \(String(describing: window))")
            running += AttentionContributions.sources(of: q, window: window).count
        }
        #expect(AttentionContributions.bandedCount(tokens: 40, heads: 3, window: window) == running * 3)
    }

    @Test("2048 tokens: the triangle is half of n², a 512 window a quarter")
    func sizes() {
        let n = 2048
        #expect(AttentionContributions.bandedCount(tokens: n, heads: 1, window: nil) == n * (n + 1) / 2)
        #expect(AttentionContributions.bandedCount(tokens: n, heads: 1, window: 512) == 512 * 513 / 2 + 1536 * 512)
    }

    @Test("the dense form round-trips, and keys outside the band read as 0")
    func denseRoundTrip() {
        let n = 5, H = 2, window = 2
        let dense = (0..<(n * n * H)).map { i -> Float in
            let q = i / (n * H), k = i / H % n
            return AttentionContributions.sources(of: q, window: window).contains(k) ? Float(i) : 0
        }
        let c = AttentionContributions(
            layer: 0, tokens: n, heads: H, window: window, weights: dense, residual: [Float](repeating: 0, count: n),
            biasL1: [Float](repeating: 0, count: n))
        #expect(c.bandedWeights.count == (1 + 2 + 2 + 2 + 2) * H)
        #expect(c.denseWeights == dense)
        #expect(c.weight(target: 4, source: 3, head: 1) == Float((4 * n + 3) * H + 1))
        #expect(c.weight(target: 4, source: 1, head: 0) == 0 && Array(c.headWeights(target: 1, source: 2)) == [0, 0])
    }
}
