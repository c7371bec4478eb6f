import Tensors

extension DecoderModel {
    /// Which logits a decode step returns.
    public enum DecodeLogits: Sendable, Equatable {
        /// The last new token's (`[V]`): what generation samples from.
        case last
        /// Every new token's (`[m, V]`).
        case all
        /// None (a prefill whose last token is decoded again later).
        case none
    }

    /// Runs `tokens` (at positions `cache.position ..< cache.position + m`) through the model against the keys and
    /// values in `cache`, appends theirs to it, and returns the requested logits.
    ///
    /// The same arithmetic as `forward` with nothing recorded: embeddings (scaled, plus learned positions), then per
    /// layer norm, q/k/v (with biases), q/k norms, RoPE at the tokens' positions, causal attention over the cached
    /// and new keys (a sliding layer's window as in the full pass), the output projection, post-norms, the FFN,
    /// and the final norm, LM head and soft-cap. A step of the whole prompt from an empty cache is the forward pass
    /// of the prompt; a one-token step after it gives the logits a forward pass of the longer text gives at its last
    /// position, to float32 rounding (different GEMM shapes sum in another order).
    ///
    /// `workers` split the step as they split `forward` (above 1, OpenBLAS is set to one thread); `workspace` keeps
    /// the step's buffers for the next step (one is made for this step alone when nil).
    ///
    /// Throws, leaving `cache` unchanged, for no tokens, an id outside the vocabulary, a cache of another model, or
    /// positions past the context.
    public func decode(
        tokens: [Int], cache: inout KVCache, logits: DecodeLogits = .last, workers: Int = 1,
        workspace: DecodeWorkspace? = nil
    ) throws -> [Float] {
        let pool = WorkerPool(workers: workers)
        let m = tokens.count
        guard m > 0 else { throw TransformerError("a decode step needs at least one token") }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= info.vocabSize }) {
            throw TransformerError("token id \(bad) is outside the vocabulary (0..<\(info.vocabSize))")
        }
        guard cache.layers.count == layers.count,
            zip(cache.layers, layers).allSatisfy({
                $0.width == $1.attention.kvHeads * $1.attention.headDim && $0.window == $1.attention.window
            })
        else { throw TransformerError("the KV cache was made for another model (makeCache() of this one)") }
        let p0 = cache.position
        guard p0 + m <= info.contextLength else {
            throw TransformerError(
                "decoding to position \(p0 + m) passes the model's context of \(info.contextLength) tokens")
        }
        if pool.workers > 1 { BLASThreads.set(1) }
        let work = workspace ?? DecodeWorkspace(workers: pool.workers)
        work.reserveRows(m, model: self)
        let d = info.dModel, x = work.residual
        writeInputEmbeddings(tokens: tokens, into: x)
        if let positions = positionEmbedding {
            positions.withUnsafeBufferPointer { table in
                for t in 0..<m { addForward(x + t * d, x + t * d, table.baseAddress! + (p0 + t) * d, count: d) }
            }
        }
        for (l, layer) in layers.enumerated() {
            layer.inputNorm.apply(work.normed, mean: nil, scale: nil, x, rows: m, pool: pool)
            attend(layer.attention, rows: m, from: p0, cache: &cache.layers[l], work: work, pool: pool)
            if let norm = layer.postAttentionNorm {
                norm.apply(work.blockOutput, mean: nil, scale: nil, work.blockOutput, rows: m, pool: pool)
            }
            addForward(pool: pool, x, x, work.blockOutput, count: m * d)
            layer.ffnNorm.apply(work.normed, mean: nil, scale: nil, x, rows: m, pool: pool)
            feedForward(layer.ffn, rows: m, work: work, pool: pool)
            if let norm = layer.postFFNNorm {
                norm.apply(work.blockOutput, mean: nil, scale: nil, work.blockOutput, rows: m, pool: pool)
            }
            addForward(pool: pool, x, x, work.blockOutput, count: m * d)
        }
        cache.position = p0 + m
        for l in cache.layers.indices { cache.layers[l].trim() }

        let first: Int
        switch logits {
        case .none: return []
        case .last: first = m - 1
        case .all: first = 0
        }
        let rows = m - first
        finalNorm.apply(work.normed, mean: nil, scale: nil, x + first * d, rows: rows, pool: pool)
        var output = [Float](repeating: 0, count: rows * info.vocabSize)
        output.withUnsafeMutableBufferPointer { out in
            lmHead.applyFewRows(out.baseAddress!, work.normed, rows: rows, pool: pool, tiles: work.tiles)
            if let cap = logitSoftcap { softcapForward(out.baseAddress!, out.baseAddress!, cap: cap, count: out.count) }
        }
        return output
    }

    /// One layer's attention for the step's `rows` rows at positions `p0 ..< p0 + rows`: the new keys and values
    /// go into `cache`, every query attends to the cached and new keys it may see; the output projection is left in
    /// `work.blockOutput`.
    private func attend(
        _ block: AttentionBlock, rows m: Int, from p0: Int, cache: inout LayerKVCache, work: DecodeWorkspace,
        pool: WorkerPool
    ) {
        let hd = block.headDim, qWidth = block.heads * hd, kvWidth = block.kvHeads * hd
        precondition(cache.nextPosition == p0, "the layer cache is at position \(cache.nextPosition), not \(p0)")
        let slot = cache.reserve(m)
        let table = block.rope.map { work.ropeTable($0, positions: p0 + m) }
        cache.withStorage { keys, values, head in
            let newKeys = keys + slot * kvWidth, newValues = values + slot * kvWidth
            block.query.applyFewRows(work.query, work.normed, rows: m, pool: pool, tiles: work.tiles)
            block.key.applyFewRows(newKeys, work.normed, rows: m, pool: pool, tiles: work.tiles)
            block.value.applyFewRows(newValues, work.normed, rows: m, pool: pool, tiles: work.tiles)
            if let norm = block.queryNorm {
                norm.apply(work.query, mean: nil, scale: nil, work.query, rows: m * block.heads, pool: pool)
            }
            if let norm = block.keyNorm {
                norm.apply(newKeys, mean: nil, scale: nil, newKeys, rows: m * block.kvHeads, pool: pool)
            }
            if let table, let rope = block.rope {
                ropeForward(
                    work.query, rowStride: qWidth, rows: m, heads: block.heads, headDim: hd, table: table,
                    style: rope.style, firstPosition: p0)
                ropeForward(
                    newKeys, rowStride: kvWidth, rows: m, heads: block.kvHeads, headDim: hd, table: table,
                    style: rope.style, firstPosition: p0)
            }
            // Keys `0..<n` of the live range hold positions `p0 − cached ..< p0 + m`; query `q` is at key index
            // `cached + q`, which is the offset the causal (and window) mask needs.
            let cached = slot - head, n = cached + m
            work.reserveScores(block.heads * m * n)
            let scores = DisjointPointer(work.scores), context = DisjointPointer(work.context)
            let query = SharedReadPointer(work.query)
            let key = SharedReadPointer(keys + head * kvWidth), value = SharedReadPointer(values + head * kvWidth)
            pool.forEachChunk(of: block.heads) { heads in
                for h in heads {
                    let kv = block.kvHead(of: h), s = scores.base + h * m * n
                    gemm(
                        s, ldc: n, query.base + h * hd, lda: qWidth, key.base + kv * hd, ldb: kvWidth,
                        transposeB: true, m: m, n: n, k: hd, alpha: block.scale)
                    causalSoftmax(s, rowStride: n, rows: m, keys: n, queryOffset: cached, window: block.window)
                    gemm(
                        context.base + h * hd, ldc: qWidth, s, lda: n, value.base + kv * hd, ldb: kvWidth,
                        m: m, n: hd, k: n)
                }
            }
        }
        cache.commit(m)
        block.output.applyFewRows(work.blockOutput, work.context, rows: m, pool: pool, tiles: work.tiles)
    }

    /// The FFN of the step's rows (`work.normed`) into `work.blockOutput`.
    private func feedForward(_ ffn: FeedForward, rows m: Int, work: DecodeWorkspace, pool: WorkerPool) {
        let count = m * ffn.hiddenDim
        if let gate = ffn.gate {
            gate.applyFewRows(work.ffnFirst, work.normed, rows: m, pool: pool, tiles: work.tiles)
            ffn.up.applyFewRows(work.ffnSecond, work.normed, rows: m, pool: pool, tiles: work.tiles)
            gatedActivationForward(
                pool: pool, work.ffnFirst, gate: work.ffnFirst, up: work.ffnSecond, activation: ffn.activation,
                count: count)
        } else {
            ffn.up.applyFewRows(work.ffnFirst, work.normed, rows: m, pool: pool, tiles: work.tiles)
            activationForward(pool: pool, work.ffnFirst, work.ffnFirst, activation: ffn.activation, count: count)
        }
        ffn.down.applyFewRows(work.blockOutput, work.ffnFirst, rows: m, pool: pool, tiles: work.tiles)
    }
}
