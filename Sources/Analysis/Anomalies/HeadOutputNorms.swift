import Tensors
import Transformer

/// `‖o_h(q)‖` for every layer, head and position, where `o_h(q) = (Σ_k A[h][q,k] · v_k) · W_O[h]` is head `h`'s part
/// of the attention output projection: the value vectors with their bias, no output bias, before any post-attention
/// norm (`docs/analyses.md` §3, `dead_head`).
public struct HeadOutputNorms: Sendable, Equatable {
    /// `[layer][head][position]`.
    public let norms: [[[Double]]]

    public init(model: DecoderModel, trace: Trace) throws {
        try ContributionInputs.check(model: model, trace: trace)
        let n = trace.shape.tokens, d = model.info.dModel
        norms = (0..<model.info.layers).map { l in
            let block = model.layers[l].attention
            let hd = block.headDim, kvWidth = block.kvHeads * hd
            let values = Array(trace.slice(.values, l))
            var context = [Float](repeating: 0, count: n * hd), output = [Float](repeating: 0, count: n * d)
            let o = block.output
            // One decoded copy of W_O per layer when the weights are packed.
            return o.weight.withElements { w in
                (0..<block.heads).map { h in
                    let pattern = Array(trace.attention(layer: l, head: h))
                    let g = block.kvHead(of: h)
                    pattern.withUnsafeBufferPointer { a in
                        values.withUnsafeBufferPointer { v in
                            context.withUnsafeMutableBufferPointer { c in
                                gemm(
                                    c.baseAddress!, ldc: hd, a.baseAddress!, lda: n, v.baseAddress! + g * hd,
                                    ldb: kvWidth,
                                    m: n, n: hd, k: n)
                            }
                        }
                    }
                    context.withUnsafeBufferPointer { c in
                        output.withUnsafeMutableBufferPointer { out in
                            let base = w + (o.layout == .outIn ? h * hd : h * hd * d)
                            matmul(
                                out.baseAddress!, outputStride: d, c.baseAddress!, inputStride: hd, weight: base,
                                layout: o.layout, weightStride: o.layout == .outIn ? o.inFeatures : d, rows: n,
                                inFeatures: hd, outFeatures: d)
                        }
                    }
                    return (0..<n).map { q in
                        output[(q * d)..<((q + 1) * d)].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                    }
                }
            }
        }
    }
}
