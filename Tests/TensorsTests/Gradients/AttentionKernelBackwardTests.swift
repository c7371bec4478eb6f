import Foundation
import Testing
import TestSupport

import Tensors

/// RoPE, softmax and soft-cap backward against central finite differences of the forward kernels.
@Suite("Attention kernel backward")
struct AttentionKernelBackwardTests {
    @Test(
        "ropeBackward is the transpose of ropeForward (both pairings, partial rotary)",
        arguments: [
            RoPEStyle.rotateHalf, .interleaved
        ])
    func rope(style: RoPEStyle) {
        let rows = 5, heads = 2, headDim = 8
        let table = RoPETable(positions: rows, inverseFrequencies: [1.0, 0.3, 0.05]) // 6 of 8 dimensions rotated
        var random = RandomValues(seed: 21)
        let x = random.array(rows * heads * headDim), g = random.array(rows * heads * headDim)
        func forward(_ input: [Float]) -> [Float] {
            var y = input
            ropeForward(
                &y, rowStride: heads * headDim, rows: rows, heads: heads, headDim: headDim, table: table, style: style)
            return y
        }
        var dx = g
        ropeBackward(
            &dx, rowStride: heads * headDim, rows: rows, heads: heads, headDim: headDim, table: table, style: style)
        let numeric = centralDifferences(x, step: 1e-2) { weightedSum(forward($0), g) }
        #expect(gradientError(dx, numeric) < 1e-3)
    }

    @Test("softmaxBackward through a causal, sliding-window, soft-capped softmax matches finite differences")
    func softmax() {
        let n = 6
        var random = RandomValues(seed: 22)
        let scores = random.array(n * n, scale: 3), g = random.array(n * n)
        for (window, cap) in [(Int?.none, Float?.none), (3, nil), (nil, Float(2))] {
            func forward(_ s: [Float]) -> [Float] {
                var p = s
                causalSoftmax(&p, rowStride: n, rows: n, keys: n, window: window, softcap: cap)
                return p
            }
            let p = forward(scores)
            var ds = g
            softmaxBackward(&ds, probabilities: p, rowStride: n, rows: n, keys: n)
            if let cap {
                // the cap sits before the softmax: chain through it
                let capped = scores.map { cap * tanhf($0 / cap) }
                softcapBackward(&ds, ds, output: capped, cap: cap, count: n * n)
            }
            let numeric = centralDifferences(scores, step: 1e-2) { weightedSum(forward($0), g) }
            #expect(
                gradientError(ds, numeric) < 1e-2, "window \(String(describing: window)) cap \(String(describing: cap))"
            )
            // masked scores get no gradient
            for q in 0..<n {
                for k in 0..<n where k > q || (window.map { q - k >= $0 } ?? false) { #expect(ds[q * n + k] == 0) }
            }
        }
    }

    @Test("softcapBackward matches finite differences of softcapForward")
    func softcap() {
        var random = RandomValues(seed: 23)
        let x = random.array(40, scale: 20), g = random.array(40)
        func forward(_ input: [Float]) -> [Float] {
            var y = input
            softcapForward(&y, input, cap: 5, count: input.count)
            return y
        }
        var dx = [Float](repeating: 0, count: 40)
        softcapBackward(&dx, g, output: forward(x), cap: 5, count: 40)
        let numeric = centralDifferences(x, step: 1e-2) { weightedSum(forward($0), g) }
        #expect(gradientError(dx, numeric) < 1e-2)
    }
}
