import Tensors

extension AttentionBlock {
    /// Gradient of the attention block with respect to its normed input: `dNormed[n, d]` from `dOutput[n, d]`, the
    /// gradient of the output projection's result (before any post-attention norm).
    ///
    /// Reuses the recorded probabilities (`[H, n, n]`) and values (`[n, kvH·hd]`); recomputes queries and keys from
    /// `normed`. Per head: `dA = dC·Vᵀ`, `dV += Aᵀ·dC`, the softmax's `dS`, `dQ = scale·dS·K`, `dK += scale·dSᵀ·Q`;
    /// then back through RoPE (the inverse rotation), the q/k norms and the three projections. With
    /// `attentionGradient`, `∂f/∂A` (`[H, n, n]`) is written there too.
    func backward(
        dNormed: UnsafeMutablePointer<Float>, dOutput: UnsafePointer<Float>, normed: UnsafePointer<Float>,
        probabilities: UnsafePointer<Float>, values: UnsafePointer<Float>, rope table: RoPETable?,
        scratch: BackwardScratch, attentionGradient: UnsafeMutablePointer<Float>?, tokens n: Int, pool: WorkerPool
    ) {
        let hd = headDim, qWidth = heads * hd, kvWidth = kvHeads * hd
        output.backward(scratch.dContext, dOutput, rows: n, pool: pool)
        recomputeQueriesAndKeys(normed: normed, rope: table, scratch: scratch, tokens: n, pool: pool)

        let a = SharedReadPointer(probabilities), v = SharedReadPointer(values)
        let q = SharedReadPointer(scratch.query), k = SharedReadPointer(scratch.key)
        let dC = SharedReadPointer(scratch.dContext)
        let dS = DisjointPointer(scratch.dScores), dQ = DisjointPointer(scratch.dQuery)
        let dKh = DisjointPointer(scratch.dKeyPerHead), dVh = DisjointPointer(scratch.dValuePerHead)
        let record = attentionGradient.map(DisjointPointer.init)
        let scale = self.scale
        pool.forEachChunk(of: heads) { range in
            for h in range {
                let g = kvHead(of: h)
                let probs = a.base + h * n * n, scores = dS.base + h * n * n
                gemm(
                    scores, ldc: n, dC.base + h * hd, lda: qWidth, v.base + g * hd, ldb: kvWidth, transposeB: true,
                    m: n, n: n, k: hd)
                record?.base.advanced(by: h * n * n).update(from: scores, count: n * n)
                gemm(
                    dVh.base + h * n * hd, ldc: hd, probs, lda: n, transposeA: true, dC.base + h * hd, ldb: qWidth,
                    m: n, n: hd, k: n)
                softmaxBackward(scores, probabilities: probs, rowStride: n, rows: n, keys: n)
                gemm(
                    dQ.base + h * hd, ldc: qWidth, scores, lda: n, k.base + g * hd, ldb: kvWidth,
                    m: n, n: hd, k: n, alpha: scale)
                gemm(
                    dKh.base + h * n * hd, ldc: hd, scores, lda: n, transposeA: true, q.base + h * hd, ldb: qWidth,
                    m: n, n: hd, k: n, alpha: scale)
            }
        }
        // Each key/value head collects the gradients of the query heads that read it.
        let group = heads / kvHeads
        for g in 0..<kvHeads {
            for t in 0..<n {
                let dk = scratch.dKey + t * kvWidth + g * hd, dv = scratch.dValue + t * kvWidth + g * hd
                dk.update(repeating: 0, count: hd)
                dv.update(repeating: 0, count: hd)
                for h in (g * group)..<((g + 1) * group) {
                    addForward(dk, dk, scratch.dKeyPerHead + (h * n + t) * hd, count: hd)
                    addForward(dv, dv, scratch.dValuePerHead + (h * n + t) * hd, count: hd)
                }
            }
        }
        if let table, let embedding = rope {
            ropeBackward(
                scratch.dQuery, rowStride: qWidth, rows: n, heads: heads, headDim: hd, table: table,
                style: embedding.style)
            ropeBackward(
                scratch.dKey, rowStride: kvWidth, rows: n, heads: kvHeads, headDim: hd, table: table,
                style: embedding.style)
        }
        if let norm = queryNorm {
            norm.backward(
                scratch.dQuery, scratch.dQuery, input: scratch.queryRaw, mean: nil, rstd: scratch.queryScale,
                rows: n * heads)
        }
        if let norm = keyNorm {
            norm.backward(
                scratch.dKey, scratch.dKey, input: scratch.keyRaw, mean: nil, rstd: scratch.keyScale,
                rows: n * kvHeads)
        }
        query.backward(dNormed, scratch.dQuery, rows: n, pool: pool)
        key.backward(dNormed, scratch.dKey, rows: n, accumulate: true, pool: pool)
        value.backward(dNormed, scratch.dValue, rows: n, accumulate: true, pool: pool)
    }

    /// Queries and keys as the forward computed them (projection, q/k norm, RoPE) into `scratch.query`/`.key`,
    /// keeping the pre-norm values and the norms' scales for their backward.
    private func recomputeQueriesAndKeys(
        normed: UnsafePointer<Float>, rope table: RoPETable?, scratch: BackwardScratch, tokens n: Int,
        pool: WorkerPool
    ) {
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim
        query.apply(scratch.queryRaw, normed, rows: n, pool: pool)
        key.apply(scratch.keyRaw, normed, rows: n, pool: pool)
        if let norm = queryNorm {
            norm.apply(
                scratch.query, mean: nil, scale: scratch.queryScale, scratch.queryRaw, rows: n * heads, pool: pool)
        } else {
            scratch.query.update(from: scratch.queryRaw, count: n * qWidth)
        }
        if let norm = keyNorm {
            norm.apply(scratch.key, mean: nil, scale: scratch.keyScale, scratch.keyRaw, rows: n * kvHeads, pool: pool)
        } else {
            scratch.key.update(from: scratch.keyRaw, count: n * kvWidth)
        }
        if let table, let embedding = rope {
            ropeForward(
                scratch.query, rowStride: qWidth, rows: n, heads: heads, headDim: headDim, table: table,
                style: embedding.style)
            ropeForward(
                scratch.key, rowStride: kvWidth, rows: n, heads: kvHeads, headDim: headDim, table: table,
                style: embedding.style)
        }
    }

    /// The context `[n, H·hd]` (each head's `A·V`) from the recorded probabilities and values.
    func recomputeContext(
        _ context: UnsafeMutablePointer<Float>, probabilities: UnsafePointer<Float>, values: UnsafePointer<Float>,
        tokens n: Int, pool: WorkerPool
    ) {
        let hd = headDim, qWidth = heads * hd, kvWidth = kvHeads * hd
        let c = DisjointPointer(context), a = SharedReadPointer(probabilities), v = SharedReadPointer(values)
        pool.forEachChunk(of: heads) { range in
            for h in range {
                gemm(
                    c.base + h * hd, ldc: qWidth, a.base + h * n * n, lda: n, v.base + kvHead(of: h) * hd,
                    ldb: kvWidth, m: n, n: hd, k: n)
            }
        }
    }
}
