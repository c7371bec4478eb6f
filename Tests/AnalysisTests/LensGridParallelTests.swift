import Analysis
import Foundation
import Testing
import Transformer

/// `NextTokenTable.lensGrid` (rows chunked by `LogitRowPass`, softmax and top-k split over the workers) against the
/// straightforward serial computation (`SerialLensGrid`), bit for bit, and ranges of positions against the whole.
@Suite("Lens grid: parallel against serial")
struct LensGridParallelTests {
    /// Equal ids and the same bits in every logit and probability.
    static func same(_ a: [[[NextTokenPrediction]]], _ b: [[[NextTokenPrediction]]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !same(p, q) { return false }
        }
        return true
    }

    static func same(_ p: [NextTokenPrediction], _ q: [NextTokenPrediction]) -> Bool {
        let ids: Bool = p.map(\.id) == q.map(\.id)
        let logits: Bool = p.map(\.logit.bitPattern) == q.map(\.logit.bitPattern)
        let probabilities: Bool = p.map(\.probability.bitPattern) == q.map(\.probability.bitPattern)
        return ids && logits && probabilities
    }

    /// The same to float32 rounding: logits within `1e-5·max(1, |x|)`, probabilities within `1e-5` relative, and
    /// the same ids unless two candidates' logits tie within that tolerance.
    static func close(_ a: [[[NextTokenPrediction]]], _ b: [[[NextTokenPrediction]]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !close(p, q) { return false }
        }
        return true
    }

    static func close(_ p: [NextTokenPrediction], _ q: [NextTokenPrediction]) -> Bool {
        guard p.count == q.count else { return false }
        let tolerance = { (x: Float) in 1e-5 * max(1, abs(x)) }
        for (i, (u, v)) in zip(p, q).enumerated() {
            guard abs(u.logit - v.logit) <= tolerance(v.logit),
                abs(u.probability - v.probability) <= 1e-5 * v.probability + 1e-12
            else { return false }
            if u.id != v.id {
                // A near tie: the other list has u's id at a neighbouring rank with the same logit.
                let j = q.firstIndex { $0.id == u.id }
                guard let j, abs(j - i) == 1, abs(q[j].logit - u.logit) <= tolerance(u.logit) else { return false }
            }
        }
        return true
    }

    @Test("the grid equals the serial computation at 1 and 2 workers, in one chunk or many", arguments: [1, 2])
    func parallelEqualsSerial(workers: Int) throws {
        for name in AnalysisFixtures.models {
            let model = try AnalysisFixtures.model(name)
            let trace = try model.forward(tokens: try AnalysisFixtures.prompts(name)[0])
            let row = model.info.vocabSize * MemoryLayout<Float>.stride
            for point in ResidualPoint.allCases {
                for (normalize, k) in [(true, 1), (true, 3), (false, 1), (false, 3)] {
                    let serial = try SerialLensGrid.compute(
                        model: model, trace: trace, point: point, k: k, normalize: normalize, workers: workers)
                    #expect(serial.count == model.info.layers && serial[0].count == trace.shape.tokens)
                    // One chunk for all rows, then the smallest chunks there are (at most 16 rows).
                    for budget in [LogitRowPass.defaultBudgetBytes, row] {
                        let grid = try NextTokenTable.lensGrid(
                            model: model, trace: trace, point: point, k: k, normalize: normalize,
                            workers: workers, budgetBytes: budget)
                        #expect(
                            Self.same(grid, serial), "\(name) \(point) normalize \(normalize) k \(k) budget \(budget)")
                    }
                }
            }
        }
    }

    /// To float32 rounding, not bit for bit: OpenBLAS's Haswell kernels (which it also runs on AMD EPYC) compute
    /// the product's rows in groups of 12, and a row's last bit depends on its place in those groups, which a
    /// range moves (`LogitRowPass`).
    @Test("a range of positions equals those columns of the whole grid")
    func rangeEqualsColumns() throws {
        let model = try AnalysisFixtures.model("tiny-gemma3")
        let trace = try model.forward(tokens: try AnalysisFixtures.prompts("tiny-gemma3")[0])
        let n = trace.shape.tokens
        let whole = try NextTokenTable.lensGrid(model: model, trace: trace, point: .mid, k: 2, workers: 2)
        for range in [0..<1, 2..<5, (n - 1)..<n, 0..<n] {
            let part = try NextTokenTable.lensGrid(
                model: model, trace: trace, point: .mid, k: 2, positions: range, workers: 2)
            #expect(Self.close(part, whole.map { Array($0[range]) }), "positions \(range)")
        }
        for bad in [0..<0, -1..<2, (n - 1)..<(n + 1)] {
            #expect(throws: AnalysisError.self) {
                try NextTokenTable.lensGrid(model: model, trace: trace, point: .post, positions: bad)
            }
        }
    }

    @Test("chunks are balanced, consecutive and never smaller than the minimum unless alone")
    func chunks() {
        #expect(LogitRowPass.chunks(count: 0, limit: 16).isEmpty)
        #expect(LogitRowPass.chunks(count: 3, limit: 256) == [0..<3])
        #expect(LogitRowPass.chunks(count: 257, limit: 256) == [0..<128, 128..<257])
        #expect(LogitRowPass.chunks(count: 40, limit: 16) == [0..<13, 13..<26, 26..<40])
        for count in 1...600 {
            for limit in [16, 17, 31, 64, 256] {
                let chunks = LogitRowPass.chunks(count: count, limit: limit)
                #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == count)
                #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let sizes = chunks.map(\.count)
                #expect(sizes.max()! <= limit && sizes.max()! - sizes.min()! <= 1)
                #expect(chunks.count == 1 || sizes.min()! >= LogitRowPass.minimumRows)
                #expect(chunks.count == (count + limit - 1) / limit)
            }
        }
    }

    @Test("the softmax denominator skips only terms that cannot change it")
    func denominator() {
        // Logits over 60 units wide, so most terms fall far below half an ulp of the running sum.
        var state: UInt64 = 7
        let logits = (0..<50_000).map { i -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Float(state >> 40) / Float(1 << 24)
            return i == 31_337 ? 25 : u * 60 - 40
        }
        let top = NextTokenPrediction.top(logits, k: 2)
        let maximum = Double(logits.max()!)
        var total = 0.0
        for v in logits { total += exp(Double(v) - maximum) }
        #expect(top.map(\.id)[0] == 31_337)
        for p in top {
            #expect(p.probability.bitPattern == (exp(Double(p.logit) - maximum) / total).bitPattern)
        }
    }

    @Test("top-1 is the first index of the largest logit, as TopK answers it, NaNs and ties included")
    func topOne() {
        let nan = Float.nan
        for logits: [Float] in [[1, 3, 3, 2], [3, 3], [nan, 1, 2], [1, nan, 2, 2], [-.infinity, -1], [5], [2, nan]] {
            let fast = NextTokenPrediction.top(logits, k: 1), serial = SerialLensGrid.top(logits, k: 1)
            #expect(fast.map(\.id) == serial.map(\.id), "\(logits)")
            #expect(fast.map(\.probability.bitPattern) == serial.map(\.probability.bitPattern), "\(logits)")
        }
        #expect(NextTokenPrediction.top([1, 3, 3, 2], k: 1).map(\.id) == [1])
    }
}
