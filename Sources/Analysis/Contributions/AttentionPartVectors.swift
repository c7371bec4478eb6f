import Tensors
import Transformer

/// The factored attention parts of one layer (`docs/contributions.md` §4, "the part vectors factor"):
/// `U[k,h] = (v[k,kv(h)] − b_V) · W_O[h]`, times the post-attention norm's weight when the model has one, so that the
/// part of source `k` through head `h` into target `q` is `A[h][q,k] · s[q] · U[k,h]`, with `s[q]` the frozen scale of
/// the post-attention norm (1 without one). One GEMM per head instead of LLM-TT's `n²·H·d_head·d` einsum.
struct AttentionPartVectors {
    /// `[k][h][d]`.
    let vectors: [Float]
    /// The frozen post-norm scale `s[q]` per target, or nil without a post-attention norm.
    let targetScale: [Float]?
    /// What the parts leave out of the block output before the per-target scale: `(b_O + Σ_h b_V W_O[h]) ⊙ w`.
    let bias: [Float]
    let tokens: Int
    let heads: Int
    let dModel: Int

    /// The per-target multiplier of `A[h][q,k]`.
    func scale(target q: Int) -> Float { targetScale?[q] ?? 1 }

    /// Start of `U[k,h]`.
    func offset(source k: Int, head h: Int) -> Int { (k * heads + h) * dModel }

    /// Builds the vectors of `layer`; heads are split over `pool` (each head's GEMM is the same call either way).
    static func compute(model: DecoderModel, trace: Trace, layer l: Int, pool: WorkerPool) throws
        -> AttentionPartVectors
    {
        let block = model.layers[l].attention
        let n = trace.shape.tokens, d = model.info.dModel, H = block.heads, hd = block.headDim
        let kvWidth = block.kvHeads * hd
        let normWeight = try model.layers[l].postAttentionNorm.map(FrozenPostNorm.effectiveWeight)

        // Value vectors without the value bias (it is folded into the unattributed bias below).
        var values = Array(trace.slice(.values, l))
        if let bias = block.value.bias {
            for k in 0..<n { for j in 0..<kvWidth { values[k * kvWidth + j] -= bias[j] } }
        }
        var vectors = [Float](repeating: 0, count: n * H * d)
        let output = block.output
        values.withUnsafeBufferPointer { v in
            output.weight.withElements { w in
                vectors.withUnsafeMutableBufferPointer { u in
                    let source = SharedReadPointer(v.baseAddress!), weight = SharedReadPointer(w)
                    let target = DisjointPointer(u.baseAddress!)
                    pool.forEachChunk(of: H) { heads in
                        for h in heads {
                            let a = source.base + block.kvHead(of: h) * hd
                            switch output.layout {
                            case .inOut:
                                gemm(
                                    target.base + h * d, ldc: H * d, a, lda: kvWidth, weight.base + h * hd * d,
                                    ldb: d, m: n, n: d, k: hd)
                            case .outIn:
                                gemm(
                                    target.base + h * d, ldc: H * d, a, lda: kvWidth, weight.base + h * hd,
                                    ldb: H * hd, transposeB: true, m: n, n: d, k: hd)
                            }
                        }
                    }
                }
            }
        }
        if let normWeight {
            for row in 0..<(n * H) { for j in 0..<d { vectors[row * d + j] *= normWeight[j] } }
        }

        // b_O + Σ_h b_V[kv(h)] · W_O[h]: the output projection applied to the repeated value bias.
        var bias = [Float](repeating: 0, count: d)
        if block.value.bias != nil || output.bias != nil {
            let valueBias = block.value.bias ?? [Float](repeating: 0, count: kvWidth)
            let repeated = (0..<H).flatMap { h in
                valueBias[(block.kvHead(of: h) * hd)..<((block.kvHead(of: h) + 1) * hd)]
            }
            repeated.withUnsafeBufferPointer { input in
                bias.withUnsafeMutableBufferPointer { out in output.apply(out.baseAddress!, input.baseAddress!, rows: 1)
                }
            }
            if let normWeight { for j in 0..<d { bias[j] *= normWeight[j] } }
        }
        let targetScale = normWeight == nil ? nil : Array(trace.slice(.postAttentionNormScale, l))
        return AttentionPartVectors(
            vectors: vectors, targetScale: targetScale, bias: bias, tokens: n, heads: H,
            dModel: d)
    }
}
