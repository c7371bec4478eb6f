import Testing
import TestSupport

import Tensors

/// LayerNorm and RMSNorm backward against central finite differences of the forward kernels.
@Suite("Norm backward")
struct NormBackwardTests {
    static let rows = 3, dim = 24

    @Test("layerNormBackward matches finite differences (relative error < 1e-2)")
    func layerNorm() {
        var random = RandomValues(seed: 11)
        let x = random.array(Self.rows * Self.dim, scale: 2), w = random.array(Self.dim), b = random.array(Self.dim)
        let g = random.array(Self.rows * Self.dim)
        func forward(_ input: [Float], mean: inout [Float], rstd: inout [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: input.count)
            layerNormForward(
                &y, mean: &mean, rstd: &rstd, input, weight: w, bias: b, eps: 1e-5, rows: Self.rows, dim: Self.dim)
            return y
        }
        var mean = [Float](repeating: 0, count: Self.rows), rstd = mean
        _ = forward(x, mean: &mean, rstd: &rstd)
        var dx = [Float](repeating: 0, count: x.count)
        layerNormBackward(&dx, g, input: x, mean: mean, rstd: rstd, weight: w, rows: Self.rows, dim: Self.dim)
        let numeric = centralDifferences(x, step: 1e-2) { input in
            var m = mean, r = rstd
            return weightedSum(forward(input, mean: &m, rstd: &r), g)
        }
        #expect(gradientError(dx, numeric) < 1e-2)
        // accumulate adds to what is there
        var twice = dx
        layerNormBackward(
            &twice, g, input: x, mean: mean, rstd: rstd, weight: w, rows: Self.rows, dim: Self.dim, accumulate: true)
        #expect(zip(twice, dx).allSatisfy { abs($0 - 2 * $1) <= 1e-6 * max(1, abs($1)) })
    }

    @Test("rmsNormBackward matches finite differences, with Gemma's 1 + w (relative error < 1e-2)", arguments: [0, 1])
    func rmsNorm(offset: Float) {
        var random = RandomValues(seed: 12)
        let x = random.array(Self.rows * Self.dim, scale: 2), w = random.array(Self.dim)
        let g = random.array(Self.rows * Self.dim)
        func forward(_ input: [Float], rstd: inout [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: input.count)
            rmsNormForward(
                &y, rstd: &rstd, input, weight: w, weightOffset: offset, eps: 1e-6, rows: Self.rows, dim: Self.dim)
            return y
        }
        var rstd = [Float](repeating: 0, count: Self.rows)
        _ = forward(x, rstd: &rstd)
        var dx = g
        // in place: dInput aliases dOutput
        dx.withUnsafeMutableBufferPointer { p in
            rmsNormBackward(
                p.baseAddress!, p.baseAddress!, input: x, rstd: rstd, weight: w, weightOffset: offset,
                rows: Self.rows, dim: Self.dim)
        }
        let numeric = centralDifferences(x, step: 1e-2) { input in
            var r = rstd
            return weightedSum(forward(input, rstd: &r), g)
        }
        #expect(gradientError(dx, numeric) < 1e-2)
    }
}
