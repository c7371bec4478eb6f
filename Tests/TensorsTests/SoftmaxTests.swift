import Testing
import TestSupport
import Tensors

@Suite("Causal softmax")
struct SoftmaxTests {
    @Test(
        "causal, sliding-window and soft-capped rows match the reference",
        arguments: [(nil, nil), (3, nil), (1, nil), (20, nil), (nil, Float(2)), (2, Float(5))] as [(Int?, Float?)])
    func matchesNaive(window: Int?, softcap: Float?) {
        let n = 9
        var random = RandomValues(seed: 3)
        let scores = random.array(n * n, scale: 6)
        var y = scores
        causalSoftmax(&y, rowStride: n, rows: n, keys: n, window: window, softcap: softcap)
        let reference = NaiveKernels.causalSoftmax(scores, rows: n, keys: n, window: window, softcap: softcap)
        let result = compare(
            y, reference.map(Double.init), label: "softmax w=\(String(describing: window))",
            relative: 1e-5, absolute: 1e-7)
        #expect(result.passed, "\(result)")
        for q in 0..<n {
            let row = y[(q * n)..<((q + 1) * n)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-5, "row \(q) sums to 1")
            for k in (q + 1)..<max(q + 1, n) { #expect(y[q * n + k] == 0, "future key \(k) of query \(q) is 0") }
            if let window {
                for k in 0..<max(0, q - window + 1) {
                    #expect(y[q * n + k] == 0, "key \(k) outside the window of \(q)")
                }
            }
        }
    }

    @Test("a row offset by queryOffset sees the earlier keys")
    func queryOffset() {
        var y: [Float] = [0, 0, 0]
        causalSoftmax(&y, rowStride: 3, rows: 1, keys: 3, queryOffset: 1)
        #expect(y == [0.5, 0.5, 0])
    }
}
