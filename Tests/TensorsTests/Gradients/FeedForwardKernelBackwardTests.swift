import Testing
import TestSupport

import Tensors

/// Activation, gated activation and matmul input-gradient backward against finite differences.
@Suite("Feed-forward kernel backward")
struct FeedForwardKernelBackwardTests {
    @Test("activationBackward matches finite differences for every activation", arguments: Activation.allCases)
    func activation(_ activation: Activation) {
        var random = RandomValues(seed: 31)
        // away from ReLU's kink at 0
        let x = random.array(64, scale: 4).map { abs($0) < 0.05 ? $0 + 0.1 : $0 }, g = random.array(64)
        func forward(_ input: [Float]) -> [Float] {
            var y = input
            activationForward(&y, input, activation: activation, count: input.count)
            return y
        }
        var dx = [Float](repeating: 0, count: 64)
        activationBackward(&dx, g, input: x, activation: activation, count: 64)
        let numeric = centralDifferences(x, step: 1e-3) { weightedSum(forward($0), g) }
        #expect(gradientError(dx, numeric) < 1e-2)
        #expect(x.allSatisfy { abs(Float(activation.value(Double($0))) - activation($0)) <= 1e-5 * max(1, abs($0)) })
    }

    @Test(
        "gatedActivationBackward (SwiGLU, GeGLU) matches finite differences in gate and up",
        arguments: [
            Activation.silu, .geluTanh
        ])
    func gated(_ activation: Activation) {
        var random = RandomValues(seed: 32)
        let gate = random.array(48, scale: 3), up = random.array(48, scale: 2), g = random.array(48)
        func forward(_ gate: [Float], _ up: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: gate.count)
            gatedActivationForward(&y, gate: gate, up: up, activation: activation, count: gate.count)
            return y
        }
        var dGate = [Float](repeating: 0, count: 48), dUp = dGate
        gatedActivationBackward(dGate: &dGate, dUp: &dUp, g, gate: gate, up: up, activation: activation, count: 48)
        #expect(gradientError(dGate, centralDifferences(gate, step: 1e-3) { weightedSum(forward($0, up), g) }) < 1e-2)
        #expect(gradientError(dUp, centralDifferences(up, step: 1e-3) { weightedSum(forward(gate, $0), g) }) < 1e-2)
    }

    @Test(
        "matmulInputGradient is dY·W for both layouts, split over workers, accumulating",
        arguments: [
            WeightLayout.outIn, .inOut
        ])
    func matmulGradient(layout: WeightLayout) {
        let rows = 3, inFeatures = 37, outFeatures = 21
        var random = RandomValues(seed: 33)
        let x = random.array(rows * inFeatures), w = random.array(inFeatures * outFeatures)
        let g = random.array(rows * outFeatures)
        func forward(_ input: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: rows * outFeatures)
            matmul(
                &y, outputStride: outFeatures, input, inputStride: inFeatures, weight: w, layout: layout, rows: rows,
                inFeatures: inFeatures, outFeatures: outFeatures)
            return y
        }
        let numeric = centralDifferences(x, step: 1e-2) { weightedSum(forward($0), g) }
        for workers in [1, 2] {
            var dx = [Float](repeating: 1, count: rows * inFeatures)
            matmulInputGradient(
                pool: WorkerPool(workers: workers), &dx, inputStride: inFeatures, g, outputStride: outFeatures,
                weight: w, layout: layout, accumulate: true, rows: rows, inFeatures: inFeatures,
                outFeatures: outFeatures)
            #expect(gradientError(dx.map { $0 - 1 }, numeric) < 1e-3, "workers \(workers)")
        }
    }
}
