import Testing
import TestSupport
import Tensors

@Suite("BLAS matmul against the naive reference")
struct MatmulTests {
    @Test(
        "sgemm and sgemv paths, both weight layouts, with and without bias",
        arguments: [(1, 7, 5), (3, 16, 9), (17, 33, 64)], [WeightLayout.outIn, .inOut])
    func matchesNaive(shape: (Int, Int, Int), layout: WeightLayout) {
        let (rows, inF, outF) = shape
        var random = RandomValues(seed: UInt64(rows * 1000 + inF))
        let x = random.array(rows * inF)
        let w = random.array(inF * outF)
        let b = random.array(outF)
        for bias in [nil, b] {
            var y = [Float](repeating: .nan, count: rows * outF)
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    (bias ?? []).withUnsafeBufferPointer { bp in
                        y.withUnsafeMutableBufferPointer { yp in
                            matmul(
                                yp.baseAddress!, outputStride: outF, xp.baseAddress!, inputStride: inF,
                                weight: wp.baseAddress!, layout: layout, bias: bias == nil ? nil : bp.baseAddress,
                                rows: rows, inFeatures: inF, outFeatures: outF)
                        }
                    }
                }
            }
            let reference = NaiveKernels.matmul(
                x, weight: w, layout: layout, bias: bias, rows: rows,
                inFeatures: inF, outFeatures: outF
            ).map(Double.init)
            let result = compare(
                y, reference, label: "matmul \(shape) \(layout) bias=\(bias != nil)",
                relative: 1e-5, absolute: 1e-5)
            #expect(result.passed, "\(result)")
        }
    }

    @Test("accumulate adds to the output and strided rows are respected")
    func accumulateWithStrides() {
        let x: [Float] = [1, 2, 0, 3, 4, 0] // 2 rows of 2, stride 3
        let w: [Float] = [1, 0, 0, 1, 1, 1] // [out 3, in 2]
        var y: [Float] = [10, 10, 10, -1, 20, 20, 20, -1] // stride 4, last column untouched
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    matmul(
                        yp.baseAddress!, outputStride: 4, xp.baseAddress!, inputStride: 3, weight: wp.baseAddress!,
                        layout: .outIn, accumulate: true, rows: 2, inFeatures: 2, outFeatures: 3)
                }
            }
        }
        #expect(y == [11, 12, 13, -1, 23, 24, 27, -1])
    }
}
