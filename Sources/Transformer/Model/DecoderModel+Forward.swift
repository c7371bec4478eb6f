import Foundation
import Tensors

extension DecoderModel {
    /// Runs the model on `tokens` and records every intermediate tensor in a new Trace.
    ///
    /// Throws for an empty sequence, a token id outside the vocabulary, a sequence longer than the context, or a
    /// logit position outside the sequence. All memory (trace and scratch) is planned before the pass starts.
    public func forward(tokens: [Int], options: ForwardOptions = ForwardOptions()) throws -> Trace {
        try forward(tokens: tokens, options: options, baseline: nil)
    }

    /// An ablated pass that copies the layers before the first ablated one from `baseline`, the unablated trace of
    /// the same tokens and logit positions, instead of recomputing them: the ablation cannot change them, so the
    /// result is the full ablated pass's, for a fraction of the work. The new trace starts as a copy of the baseline's
    /// storage, so the pass holds two traces at once. `baseline` must come from an unablated pass of this model.
    public func forward(tokens: [Int], options: ForwardOptions, reusing baseline: Trace) throws -> Trace {
        guard baseline.tokens == tokens,
            baseline.shape.logitPositions == (options.logitPositions ?? [tokens.count - 1]),
            baseline.shape.layers == info.layers, baseline.shape.dModel == info.dModel
        else {
            throw TransformerError("the baseline trace is of other tokens, logit positions or another model")
        }
        return try forward(tokens: tokens, options: options, baseline: baseline)
    }

    private func forward(tokens: [Int], options: ForwardOptions, baseline: Trace?) throws -> Trace {
        let n = tokens.count
        guard n > 0 else { throw TransformerError("the prompt has no tokens: nothing to run") }
        guard n <= info.contextLength else {
            throw TransformerError("the prompt has \(n) tokens, more than the model's context of \(info.contextLength)")
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= info.vocabSize }) {
            throw TransformerError("token id \(bad) is outside the vocabulary (0..<\(info.vocabSize))")
        }
        let positions = options.logitPositions ?? [n - 1]
        if let bad = positions.first(where: { $0 < 0 || $0 >= n }) {
            throw TransformerError("logit position \(bad) is outside the prompt (0..<\(n))")
        }
        try options.ablation.validate(layers: info.layers, heads: info.heads)
        let batch = options.batch
        guard batch >= 1 else { throw TransformerError("the batch must hold at least one copy, not \(batch)") }
        if let rows = options.inputEmbeddings, rows.count != batch * n * info.dModel {
            throw TransformerError(
                "the input embeddings have \(rows.count) values; \(batch) × \(n) tokens × \(info.dModel) need "
                    + "\(batch * n * info.dModel)")
        }
        let shape = traceShape(tokens: n, logitPositions: positions, batch: batch)
        let layout = TraceLayout(shape: shape)
        if let baseline, baseline.shape != shape || baseline.storage.count != layout.totalCount {
            throw TransformerError(
                "the baseline trace has another shape than this pass (\(baseline.shape) vs \(shape))")
        }
        let bytes = layout.totalCount * MemoryLayout<Float>.size
        let limit = options.maxTraceBytes ?? Int(ProcessInfo.processInfo.physicalMemory / 2)
        guard bytes <= limit else {
            throw TransformerError(
                "recording \(n) tokens needs a " + String(format: "%.1f", Double(bytes) / 1e6)
                    + " MB trace, more than the " + String(format: "%.1f", Double(limit) / 1e6)
                    + " MB allowed: use a shorter prompt")
        }
        if options.workers > 1 {
            // The workers split the pass; BLAS threads inside them would oversubscribe the cores.
            BLASThreads.set(1)
        }
        // Layers before the first ablated one are the baseline's (the embeddings too); the rest is recomputed.
        let ablated = options.ablation.heads.map(\.layer) + options.ablation.skippedLayers
        let start = baseline == nil ? 0 : min(ablated.min() ?? info.layers, info.layers)
        var storage = baseline?.storage ?? TraceStorage.allocate(count: layout.totalCount, fill: options.prefill)
        storage.withUnsafeMutableBufferPointer { buffer in
            let recorder = TraceWriter(base: buffer.baseAddress!, layout: layout)
            run(
                tokens: tokens, embeddings: options.inputEmbeddings, shape: shape, ablation: options.ablation,
                from: start, logits: options.computeLogits, pool: WorkerPool(workers: options.workers), into: recorder)
        }
        return Trace(shape: shape, tokens: tokens, layout: layout, storage: storage)
    }

    /// The shape of this model's trace for `tokens` tokens, `logitPositions` and `batch` copies (what a forward pass
    /// allocates, and what callers size batches by).
    public func traceShape(tokens: Int, logitPositions: [Int], batch: Int = 1) -> TraceShape {
        TraceShape(
            layers: info.layers, tokens: tokens, dModel: info.dModel, heads: info.heads,
            kvHeads: info.kvHeads, headDim: info.headDim, ffnDim: info.ffnDim,
            vocabSize: info.vocabSize, logitPositions: logitPositions,
            hasPostAttentionNorm: layers.first?.postAttentionNorm != nil,
            hasPostFFNNorm: layers.first?.postFFNNorm != nil, batch: batch)
    }

    private func run(
        tokens: [Int], embeddings: [Float]?, shape: TraceShape, ablation: Ablation, from start: Int,
        logits computeLogits: Bool,
        pool: WorkerPool, into trace: TraceWriter
    ) {
        // `tokenCount` rows per copy, `n` rows in all: row-wise work (norms, projections, the FFN) runs on every row
        // at once; attention and positions per copy.
        let tokenCount = shape.tokens, batch = shape.batch, n = shape.rows, d = shape.dModel
        let scratch = ForwardScratch(
            shape: shape, gated: layers.contains { $0.ffn.gate != nil }, workers: pool.workers)
        defer { scratch.deallocate() }

        if start == 0 {
            let first = trace.block(.residual, 0)
            if let embeddings {
                embeddings.withUnsafeBufferPointer { first.update(from: $0.baseAddress!, count: n * d) }
            } else {
                for b in 0..<batch { writeInputEmbeddings(tokens: tokens, into: first + b * tokenCount * d) }
            }
            for b in 0..<batch { addPositionEmbeddings(tokens: tokenCount, into: first + b * tokenCount * d) }
        }
        var ropeTables: [RotaryEmbedding: RoPETable] = [:]
        for layer in layers {
            if let rope = layer.attention.rope, ropeTables[rope] == nil {
                ropeTables[rope] = RoPETable(positions: tokenCount, inverseFrequencies: rope.inverseFrequencies)
            }
        }

        for (l, layer) in layers.enumerated() where l >= start {
            let pre = trace.block(.residual, l)
            let mid = trace.block(.mid, l)
            let post = trace.block(.residual, l + 1)
            let attentionOut = trace.block(.attentionOutput, l)
            let mlpOut = trace.block(.mlpOutput, l)

            // Attention block.
            layer.inputNorm.apply(
                scratch.normed, mean: trace.block(.inputNormMean, l),
                scale: trace.block(.inputNormScale, l), pre, rows: n, pool: pool)
            attend(
                layer.attention, layer: l, normed: scratch.normed,
                rope: layer.attention.rope.flatMap { ropeTables[$0] },
                zeroedHeads: ablation.zeroedHeads(in: l), scratch: scratch, trace: trace, output: attentionOut,
                tokens: tokenCount, batch: batch, pool: pool)
            if let norm = layer.postAttentionNorm {
                norm.apply(
                    attentionOut, mean: nil, scale: trace.block(.postAttentionNormScale, l), attentionOut, rows: n,
                    pool: pool)
            }
            addForward(pool: pool, mid, pre, attentionOut, count: n * d)

            // Feed-forward block.
            layer.ffnNorm.apply(
                scratch.normed, mean: trace.block(.ffnNormMean, l), scale: trace.block(.ffnNormScale, l),
                mid, rows: n, pool: pool)
            let ffn = layer.ffn
            let ffnPre = trace.block(.ffnPre, l)
            let ffnPost = trace.block(.ffnPost, l)
            if let gate = ffn.gate {
                gate.apply(ffnPre, scratch.normed, rows: n, pool: pool, tiles: scratch.tiles)
                ffn.up.apply(scratch.up, scratch.normed, rows: n, pool: pool, tiles: scratch.tiles)
                gatedActivationForward(
                    pool: pool, ffnPost, gate: ffnPre, up: scratch.up, activation: ffn.activation,
                    count: n * ffn.hiddenDim)
            } else {
                ffn.up.apply(ffnPre, scratch.normed, rows: n, pool: pool, tiles: scratch.tiles)
                activationForward(pool: pool, ffnPost, ffnPre, activation: ffn.activation, count: n * ffn.hiddenDim)
            }
            ffn.down.apply(mlpOut, ffnPost, rows: n, pool: pool, tiles: scratch.tiles)
            if let norm = layer.postFFNNorm {
                norm.apply(mlpOut, mean: nil, scale: trace.block(.postFFNNormScale, l), mlpOut, rows: n, pool: pool)
            }
            addForward(pool: pool, post, mid, mlpOut, count: n * d)
            if ablation.skippedLayers.contains(l) {
                // Computed as usual (so the trace is complete), then removed: the layer's output is its input.
                attentionOut.update(repeating: 0, count: n * d)
                mlpOut.update(repeating: 0, count: n * d)
                mid.update(from: pre, count: n * d)
                post.update(from: pre, count: n * d)
            }
        }

        // Final norm for every position (its statistics are cheap and the lens needs them); the LM head only for
        // the requested positions.
        let last = trace.block(.residual, layers.count)
        finalNorm.apply(
            scratch.normed, mean: trace.block(.finalNormMean, 0), scale: trace.block(.finalNormScale, 0),
            last, rows: n, pool: pool)
        let positionCount = shape.logitPositions.count
        for b in 0..<batch {
            for (i, p) in shape.logitPositions.enumerated() {
                (scratch.headInput + (b * positionCount + i) * d).update(
                    from: scratch.normed + (b * tokenCount + p) * d, count: d)
            }
        }
        let logits = trace.block(.logits, 0)
        guard computeLogits else {
            logits.update(repeating: .nan, count: batch * positionCount * shape.vocabSize)
            return
        }
        lmHead.apply(logits, scratch.headInput, rows: batch * positionCount, pool: pool, tiles: scratch.tiles)
        if let cap = logitSoftcap {
            softcapForward(logits, logits, cap: cap, count: batch * positionCount * shape.vocabSize)
        }
    }

    /// Learned position embeddings (GPT-2) added to `out` (`[n, d]`); nothing for rotary models.
    private func addPositionEmbeddings(tokens n: Int, into out: UnsafeMutablePointer<Float>) {
        guard let positions = positionEmbedding else { return }
        let d = info.dModel
        positions.withUnsafeBufferPointer { table in
            for t in 0..<n { addForward(out + t * d, out + t * d, table.baseAddress! + t * d, count: d) }
        }
    }

    /// Self-attention of one layer: projections, q/k norms, RoPE, per-head softmax(q·kᵀ)·v, output projection.
    /// The (copy, head) pairs are split over the workers; each writes only its own probabilities and context columns.
    private func attend(
        _ block: AttentionBlock, layer l: Int, normed: UnsafeMutablePointer<Float>, rope: RoPETable?,
        zeroedHeads: [Int], scratch: ForwardScratch, trace: TraceWriter,
        output: UnsafeMutablePointer<Float>, tokens n: Int, batch: Int,
        pool: WorkerPool
    ) {
        let hd = block.headDim, rows = batch * n
        let qWidth = block.heads * hd, kvWidth = block.kvHeads * hd
        let values = trace.block(.values, l)
        block.query.apply(scratch.query, normed, rows: rows, pool: pool, tiles: scratch.tiles)
        block.key.apply(scratch.key, normed, rows: rows, pool: pool, tiles: scratch.tiles)
        block.value.apply(values, normed, rows: rows, pool: pool, tiles: scratch.tiles)
        if let norm = block.queryNorm {
            norm.apply(scratch.query, mean: nil, scale: nil, scratch.query, rows: rows * block.heads, pool: pool)
        }
        if let norm = block.keyNorm {
            norm.apply(scratch.key, mean: nil, scale: nil, scratch.key, rows: rows * block.kvHeads, pool: pool)
        }
        if let rope, let embedding = block.rope {
            for b in 0..<batch {
                ropeForward(
                    scratch.query + b * n * qWidth, rowStride: qWidth, rows: n, heads: block.heads, headDim: hd,
                    table: rope, style: embedding.style)
                ropeForward(
                    scratch.key + b * n * kvWidth, rowStride: kvWidth, rows: n, heads: block.kvHeads, headDim: hd,
                    table: rope, style: embedding.style)
            }
        }
        let probabilities = DisjointPointer(trace.block(.attention, l))
        let context = DisjointPointer(scratch.context)
        let query = SharedReadPointer(scratch.query), key = SharedReadPointer(scratch.key)
        let value = SharedReadPointer(values)
        let H = block.heads
        pool.forEachChunk(of: batch * H) { pairs in
            for pair in pairs {
                let b = pair / H, h = pair % H, kv = block.kvHead(of: h)
                let scores = probabilities.base + pair * n * n
                let q = query.base + b * n * qWidth, k = key.base + b * n * kvWidth, v = value.base + b * n * kvWidth
                gemm(
                    scores, ldc: n, q + h * hd, lda: qWidth, k + kv * hd, ldb: kvWidth,
                    transposeB: true, m: n, n: n, k: hd, alpha: block.scale)
                causalSoftmax(scores, rowStride: n, rows: n, keys: n, window: block.window)
                gemm(
                    context.base + b * n * qWidth + h * hd, ldc: qWidth, scores, lda: n, v + kv * hd, ldb: kvWidth,
                    m: n, n: hd, k: n)
            }
        }
        for h in zeroedHeads {
            for q in 0..<rows { (scratch.context + q * qWidth + h * hd).update(repeating: 0, count: hd) }
        }
        block.output.apply(output, scratch.context, rows: rows, pool: pool, tiles: scratch.tiles)
    }
}
