import Testing
import TestSupport
import Tensors

@Suite("Worker pool and parallel kernels")
struct WorkerPoolTests {
    @Test(
        "chunks cover the range exactly once, aligned, for any worker count",
        arguments: [1, 2, 3, 7], [0, 1, 5, 16, 100, 1023])
    func chunksCover(workers: Int, count: Int) {
        let pool = WorkerPool(workers: workers)
        var covered: [Int] = []
        for i in 0..<workers {
            let r = pool.chunk(i, of: count, alignment: 8)
            if !r.isEmpty { #expect(r.lowerBound % 8 == 0) }
            covered += Array(r)
        }
        #expect(covered == Array(0..<count))
    }

    @Test("column-split matmul equals the single call", arguments: [WeightLayout.outIn, .inOut], [1, 5])
    func parallelMatmul(layout: WeightLayout, rows: Int) {
        let inF = 40, outF = 70
        var random = RandomValues(seed: 9)
        let x = random.array(rows * inF), w = random.array(inF * outF), b = random.array(outF)
        var serial = [Float](repeating: 0, count: rows * outF)
        var split = serial
        matmul(
            &serial, outputStride: outF, x, inputStride: inF, weight: w, layout: layout, bias: b, rows: rows,
            inFeatures: inF, outFeatures: outF)
        matmul(
            pool: WorkerPool(workers: 3), &split, outputStride: outF, x, inputStride: inF, weight: w,
            layout: layout, bias: b, rows: rows, inFeatures: inF, outFeatures: outF)
        let result = compare(split, serial.map(Double.init), label: "split matmul", relative: 1e-6, absolute: 1e-6)
        #expect(result.passed, "\(result)")
    }

    @Test("split element-wise kernels equal the serial ones exactly")
    func elementwise() {
        var random = RandomValues(seed: 4)
        let a = random.array(1001, scale: 4), b = random.array(1001)
        let pool = WorkerPool(workers: 2)
        var serial = [Float](repeating: 0, count: 1001), split = serial
        activationForward(&serial, a, activation: .geluTanh, count: 1001)
        activationForward(pool: pool, &split, a, activation: .geluTanh, count: 1001)
        #expect(serial == split)
        gatedActivationForward(&serial, gate: a, up: b, activation: .silu, count: 1001)
        gatedActivationForward(pool: pool, &split, gate: a, up: b, activation: .silu, count: 1001)
        #expect(serial == split)
        addForward(&serial, a, b, count: 1001)
        addForward(pool: pool, &split, a, b, count: 1001)
        #expect(serial == split)
    }
}
