import Tensors
import Transformer

/// The matrix products one forward pass performs, as shapes: what `bench forward` compares against bare `sgemm`.
public struct GEMMWorkload: Sendable {
    /// One product `C[m, n] = A[m, k] · B` with B stored `[n, k]` (transposed) or `[k, n]`.
    public struct Product: Sendable, Equatable {
        public let m: Int, n: Int, k: Int
        public let transposedB: Bool
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    public let products: [Product]

    /// Floating-point operations of all products.
    public var flops: Double { products.reduce(0) { $0 + $1.flops } }

    /// The products of `model.forward` on `tokens` tokens with logits for `logitPositions` positions.
    public init(model: DecoderModel, tokens n: Int, logitPositions: Int = 1) {
        var products: [Product] = []
        func linear(_ l: Linear, rows: Int) {
            products.append(Product(m: rows, n: l.outFeatures, k: l.inFeatures, transposedB: l.layout == .outIn))
        }
        for layer in model.layers {
            let a = layer.attention
            linear(a.query, rows: n)
            linear(a.key, rows: n)
            linear(a.value, rows: n)
            for _ in 0..<a.heads {
                products.append(Product(m: n, n: n, k: a.headDim, transposedB: true))
                products.append(Product(m: n, n: a.headDim, k: n, transposedB: false))
            }
            linear(a.output, rows: n)
            if let gate = layer.ffn.gate { linear(gate, rows: n) }
            linear(layer.ffn.up, rows: n)
            linear(layer.ffn.down, rows: n)
        }
        linear(model.lmHead, rows: logitPositions)
        self.products = products
    }

    /// Seconds to run the same products with bare BLAS calls on scratch buffers (one pass, after a warm-up).
    public func timeBareGEMM(repeats: Int) -> TimingSummary {
        let maxA = products.map { $0.m * $0.k }.max() ?? 1
        let maxB = products.map { $0.n * $0.k }.max() ?? 1
        let maxC = products.map { $0.m * $0.n }.max() ?? 1
        var a = [Float](repeating: 0.01, count: maxA)
        var b = [Float](repeating: 0.02, count: maxB)
        var c = [Float](repeating: 0, count: maxC)
        func once() {
            a.withUnsafeMutableBufferPointer { ap in
                b.withUnsafeMutableBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        for p in products {
                            if p.m == 1 {
                                matmul(
                                    cp.baseAddress!, outputStride: p.n, ap.baseAddress!, inputStride: p.k,
                                    weight: bp.baseAddress!, layout: p.transposedB ? .outIn : .inOut,
                                    rows: 1, inFeatures: p.k, outFeatures: p.n)
                            } else {
                                gemm(
                                    cp.baseAddress!, ldc: p.n, ap.baseAddress!, lda: p.k, bp.baseAddress!,
                                    ldb: p.transposedB ? p.k : p.n, transposeB: p.transposedB, m: p.m, n: p.n, k: p.k)
                            }
                        }
                    }
                }
            }
        }
        once()
        return TimingSummary((0..<max(1, repeats)).map { _ in Stopwatch.time { once() }.seconds })
    }
}
