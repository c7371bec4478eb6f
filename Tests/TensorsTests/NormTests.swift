import Testing
import TestSupport
import Tensors

@Suite("LayerNorm and RMSNorm against the naive reference")
struct NormTests {
    @Test("LayerNorm with and without bias records mean and 1/σ", arguments: [false, true])
    func layerNorm(withBias: Bool) {
        let rows = 5, dim = 48
        var random = RandomValues(seed: 11)
        let x = random.array(rows * dim, scale: 3).enumerated().map { $0.element + Float($0.offset % 7) }
        let w = random.array(dim)
        let b = withBias ? random.array(dim) : nil
        var y = [Float](repeating: 0, count: x.count)
        var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
        layerNormForward(&y, mean: &mean, rstd: &rstd, x, weight: w, bias: b, eps: 1e-5, rows: rows, dim: dim)
        let reference = NaiveKernels.layerNorm(x, weight: w, bias: b, eps: 1e-5, rows: rows, dim: dim)
        let result = compare(y, reference.map(Double.init), label: "layerNorm", relative: 1e-5, absolute: 1e-6)
        #expect(result.passed, "\(result)")
        let row0 = x[0..<dim].map(Double.init)
        let mu = row0.reduce(0, +) / Double(dim)
        #expect(abs(Double(mean[0]) - mu) < 1e-6)
        let variance = row0.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(dim)
        #expect(abs(Double(rstd[0]) - 1 / (variance + 1e-5).squareRoot()) < 1e-6)
    }

    @Test("RMSNorm with weight offsets 0 (Llama) and 1 (Gemma)", arguments: [Float(0), 1])
    func rmsNorm(offset: Float) {
        let rows = 4, dim = 40
        var random = RandomValues(seed: 5)
        let x = random.array(rows * dim, scale: 2)
        let w = random.array(dim)
        var y = [Float](repeating: 0, count: x.count)
        var rstd = [Float](repeating: 0, count: rows)
        rmsNormForward(&y, rstd: &rstd, x, weight: w, weightOffset: offset, eps: 1e-6, rows: rows, dim: dim)
        let reference = NaiveKernels.rmsNorm(x, weight: w, weightOffset: offset, eps: 1e-6, rows: rows, dim: dim)
        let result = compare(y, reference.map(Double.init), label: "rmsNorm", relative: 1e-5, absolute: 1e-6)
        #expect(result.passed, "\(result)")
        let meanSquare = x[0..<dim].map { Double($0) * Double($0) }.reduce(0, +) / Double(dim)
        #expect(abs(Double(rstd[0]) - 1 / (meanSquare + 1e-6).squareRoot()) < 1e-5)
    }

    @Test("RMSNorm of a hand-computed row")
    func rmsNormByHand() {
        // x = [3, 4]: mean(x²) = 12.5, 1/√12.5 = 0.28284271
        var y: [Float] = [0, 0]
        rmsNormForward(&y, rstd: nil, [3, 4], weight: [1, 2], eps: 0, rows: 1, dim: 2)
        #expect(abs(y[0] - 0.84852814) < 1e-6 && abs(y[1] - 2.2627417) < 1e-6)
    }
}
