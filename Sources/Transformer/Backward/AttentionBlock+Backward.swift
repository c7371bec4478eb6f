import Tensors

extension AttentionBlock {
    /// Gradient of the attention block with respect to its normed input: `dNormed[n, d]` from `dOutput[n, d]`, the
    /// gradient of the output projection's result (before any post-attention norm), for each of `batch` copies of
    /// `n` tokens stacked row-wise.
    ///
    /// Reuses the recorded probabilities (`[batch][H, n, n]`) and values (`[n, kvH·hd]`); recomputes queries and keys from
    /// `normed`. Per head: `dA = dC·Vᵀ`, `dV += Aᵀ·dC`, the softmax's `dS`, `dQ = scale·dS·K`, `dK += scale·dSᵀ·Q`;
    /// then back through RoPE (the inverse rotation), the q/k norms and the three projections. With
    /// `attentionGradient`, `∂f/∂A` (`[H, n, n]`) is written there too.
    func backward(
        dNormed: UnsafeMutablePointer<Float>, dOutput: UnsafePointer<Float>, normed: UnsafePointer<Float>,
        probabilities: UnsafePointer<Float>, values: UnsafePointer<Float>, rope table: RoPETable?,
        scratch: BackwardScratch, attentionGradient: UnsafeMutablePointer<Float>?, tokens n: Int, batch: Int,
        pool: WorkerPool
    ) {
        let hd = headDim, qWidth = heads * hd, kvWidth = kvHeads * hd, rows = batch * n
        output.backward(scratch.dContext, dOutput, rows: rows, pool: pool, tiles: scratch.tiles)
        recomputeQueriesAndKeys(normed: normed, rope: table, scratch: scratch, tokens: n, batch: batch, pool: pool)

        let a = SharedReadPointer(probabilities), v = SharedReadPointer(values)
        let q = SharedReadPointer(scratch.query), k = SharedReadPointer(scratch.key)
        let dC = SharedReadPointer(scratch.dContext)
        let dS = DisjointPointer(scratch.dScores), dQ = DisjointPointer(scratch.dQuery)
        let dKh = DisjointPointer(scratch.dKeyPerHead), dVh = DisjointPointer(scratch.dValuePerHead)
        let record = attentionGradient.map(DisjointPointer.init)
        let scale = self.scale, H = heads
        // Per (copy, head) pair `p = b·H + h`: its probabilities, score gradients and per-head key/value shares are
        // block `p`; its queries, keys, values and context rows start at row `b·n`.
        pool.forEachChunk(of: batch * H) { range in
            for pair in range {
                let b = pair / H, h = pair % H, g = kvHead(of: h)
                let probs = a.base + pair * n * n, scores = dS.base + pair * n * n
                let qWide = b * n * qWidth, kvWide = b * n * kvWidth
                gemm(
                    scores, ldc: n, dC.base + qWide + h * hd, lda: qWidth, v.base + kvWide + g * hd, ldb: kvWidth,
                    transposeB: true, m: n, n: n, k: hd)
                record?.base.advanced(by: pair * n * n).update(from: scores, count: n * n)
                gemm(
                    dVh.base + pair * n * hd, ldc: hd, probs, lda: n, transposeA: true, dC.base + qWide + h * hd,
                    ldb: qWidth, m: n, n: hd, k: n)
                softmaxBackward(scores, probabilities: probs, rowStride: n, rows: n, keys: n)
                gemm(
                    dQ.base + qWide + h * hd, ldc: qWidth, scores, lda: n, k.base + kvWide + g * hd, ldb: kvWidth,
                    m: n, n: hd, k: n, alpha: scale)
                gemm(
                    dKh.base + pair * n * hd, ldc: hd, scores, lda: n, transposeA: true, q.base + qWide + h * hd,
                    ldb: qWidth, m: n, n: hd, k: n, alpha: scale)
            }
        }
        // Each key/value head collects the gradients of the query heads that read it.
        let group = heads / kvHeads
        for b in 0..<batch {
            for g in 0..<kvHeads {
                for t in 0..<n {
                    let row = b * n + t
                    let dk = scratch.dKey + row * kvWidth + g * hd, dv = scratch.dValue + row * kvWidth + g * hd
                    dk.update(repeating: 0, count: hd)
                    dv.update(repeating: 0, count: hd)
                    for h in (g * group)..<((g + 1) * group) {
                        let share = ((b * H + h) * n + t) * hd
                        addForward(dk, dk, scratch.dKeyPerHead + share, count: hd)
                        addForward(dv, dv, scratch.dValuePerHead + share, count: hd)
                    }
                }
            }
        }
        if let table, let embedding = rope {
            for b in 0..<batch {
                ropeBackward(
                    scratch.dQuery + b * n * qWidth, rowStride: qWidth, rows: n, heads: heads, headDim: hd,
                    table: table, style: embedding.style)
                ropeBackward(
                    scratch.dKey + b * n * kvWidth, rowStride: kvWidth, rows: n, heads: kvHeads, headDim: hd,
                    table: table, style: embedding.style)
            }
        }
        if let norm = queryNorm {
            norm.backward(
                scratch.dQuery, scratch.dQuery, input: scratch.queryRaw, mean: nil, rstd: scratch.queryScale,
                rows: rows * heads)
        }
        if let norm = keyNorm {
            norm.backward(
                scratch.dKey, scratch.dKey, input: scratch.keyRaw, mean: nil, rstd: scratch.keyScale,
                rows: rows * kvHeads)
        }
        query.backward(dNormed, scratch.dQuery, rows: rows, pool: pool, tiles: scratch.tiles)
        key.backward(dNormed, scratch.dKey, rows: rows, accumulate: true, pool: pool, tiles: scratch.tiles)
        value.backward(dNormed, scratch.dValue, rows: rows, accumulate: true, pool: pool, tiles: scratch.tiles)
    }

    /// Queries and keys as the forward computed them (projection, q/k norm, RoPE) into `scratch.query`/`.key`,
    /// keeping the pre-norm values and the norms' scales for their backward.
    private func recomputeQueriesAndKeys(
        normed: UnsafePointer<Float>, rope table: RoPETable?, scratch: BackwardScratch, tokens n: Int, batch: Int,
        pool: WorkerPool
    ) {
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim, rows = batch * n
        query.apply(scratch.queryRaw, normed, rows: rows, pool: pool, tiles: scratch.tiles)
        key.apply(scratch.keyRaw, normed, rows: rows, pool: pool, tiles: scratch.tiles)
        if let norm = queryNorm {
            norm.apply(
                scratch.query, mean: nil, scale: scratch.queryScale, scratch.queryRaw, rows: rows * heads, pool: pool)
        } else {
            scratch.query.update(from: scratch.queryRaw, count: rows * qWidth)
        }
        if let norm = keyNorm {
            norm.apply(
                scratch.key, mean: nil, scale: scratch.keyScale, scratch.keyRaw, rows: rows * kvHeads, pool: pool)
        } else {
            scratch.key.update(from: scratch.keyRaw, count: rows * kvWidth)
        }
        if let table, let embedding = rope {
            for b in 0..<batch {
                ropeForward(
                    scratch.query + b * n * qWidth, rowStride: qWidth, rows: n, heads: heads, headDim: headDim,
                    table: table, style: embedding.style)
                ropeForward(
                    scratch.key + b * n * kvWidth, rowStride: kvWidth, rows: n, heads: kvHeads, headDim: headDim,
                    table: table, style: embedding.style)
            }
        }
    }

    /// The context `[batch·n, H·hd]` (each head's `A·V`) from the recorded probabilities and values.
    func recomputeContext(
        _ context: UnsafeMutablePointer<Float>, probabilities: UnsafePointer<Float>, values: UnsafePointer<Float>,
        tokens n: Int, batch: Int, pool: WorkerPool
    ) {
        let hd = headDim, qWidth = heads * hd, kvWidth = kvHeads * hd, H = heads
        let c = DisjointPointer(context), a = SharedReadPointer(probabilities), v = SharedReadPointer(values)
        pool.forEachChunk(of: batch * H) { range in
            for pair in range {
                let b = pair / H, h = pair % H
                gemm(
                    c.base + b * n * qWidth + h * hd, ldc: qWidth, a.base + pair * n * n, lda: n,
                    v.base + b * n * kvWidth + kvHead(of: h) * hd, ldb: kvWidth, m: n, n: hd, k: n)
            }
        }
    }
}
