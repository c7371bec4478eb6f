import Testing
import Foundation
import TestSupport
import Tensors

@Suite("Activations and RoPE")
struct ActivationTests {
    @Test("each activation matches its Double reference", arguments: Activation.allCases)
    func activation(_ activation: Activation) {
        let x: [Float] = stride(from: -8, through: 8, by: 0.37).map { Float($0) }
        var y = [Float](repeating: 0, count: x.count)
        activationForward(&y, x, activation: activation, count: x.count)
        let result = compare(
            y, NaiveKernels.activation(x, activation).map(Double.init), label: "\(activation)",
            relative: 2e-6, absolute: 1e-6)
        #expect(result.passed, "\(result)")
    }

    @Test("known values: gelu tanh(1), gelu erf(1), silu(1)")
    func knownValues() {
        #expect(abs(Activation.geluTanh(1) - 0.8411920) < 1e-6)
        #expect(abs(Activation.geluErf(1) - 0.8413447) < 1e-6)
        #expect(abs(Activation.silu(1) - 0.7310586) < 1e-6)
    }

    @Test("gated activation multiplies act(gate) by up")
    func gated() {
        var y: [Float] = [0, 0]
        gatedActivationForward(&y, gate: [1, -2], up: [3, 0.5], activation: .silu, count: 2)
        #expect(abs(y[0] - 3 * 0.7310586) < 1e-6 && abs(y[1] - 0.5 * -0.23840584) < 1e-6)
    }

    @Test(
        "RoPE in both pair layouts matches the reference, including partial rotation",
        arguments: [RoPEStyle.rotateHalf, .interleaved], [8, 6])
    func rope(style: RoPEStyle, rotaryDim: Int) {
        let rows = 6, heads = 3, headDim = 8
        var random = RandomValues(seed: 21)
        let x = random.array(rows * heads * headDim)
        let inverse = (0..<(rotaryDim / 2)).map { 1 / pow(10000.0, Double(2 * $0) / Double(rotaryDim)) }
        var y = x
        ropeForward(
            &y, rowStride: heads * headDim, rows: rows, heads: heads, headDim: headDim,
            table: RoPETable(positions: rows, inverseFrequencies: inverse), style: style)
        let reference = NaiveKernels.rope(
            x, rows: rows, heads: heads, headDim: headDim, inverseFrequencies: inverse,
            style: style)
        let result = compare(y, reference.map(Double.init), label: "rope \(style)", relative: 1e-5, absolute: 1e-6)
        #expect(result.passed, "\(result)")
        #expect(Array(y[0..<(heads * headDim)]) == Array(x[0..<(heads * headDim)]), "position 0 is not rotated")
    }
}
