import Foundation
import Tensors

extension DecoderModel {
    /// Reverse mode from the scalar `target` to every residual point and the input embeddings (and, with
    /// `options.recordAttention`, every attention pattern), reusing what the forward recorded in `trace`.
    ///
    /// A plain sweep: the head (final norm, LM head, soft-cap) at the target position, then each layer from the
    /// last to the first: the FFN block, its norm and residual, the attention block, its norm and residual.
    /// `trace` must be an unablated pass of this model (any logit positions); gradients are float32, reductions
    /// (norm and softmax statistics, `f`) in Double.
    public func backward(trace: Trace, target: GradientTarget, options: BackwardOptions = BackwardOptions()) throws
        -> Gradients
    {
        let s = trace.shape, n = s.tokens, rows = s.rows, d = s.dModel, L = s.layers
        guard L == info.layers, d == info.dModel, s.vocabSize == info.vocabSize, s.heads == info.heads else {
            throw TransformerError("the trace is of another model (\(s) vs this model's \(info.layers) layers)")
        }
        try target.validate(tokens: n, vocabSize: s.vocabSize)
        if options.workers > 1 { BLASThreads.set(1) }
        let pool = WorkerPool(workers: options.workers)
        let scratch = BackwardScratch(shape: s, workers: pool.workers)
        defer { scratch.deallocate() }
        var residual = [Float](repeating: 0, count: (L + 1) * rows * d)
        var mid = [Float](repeating: 0, count: L * rows * d)
        var attention = options.recordAttention ? [Float](repeating: 0, count: L * s.batch * s.heads * n * n) : []
        var values: [Double] = []
        trace.storage.withUnsafeBufferPointer { storage in
            residual.withUnsafeMutableBufferPointer { dResidual in
                mid.withUnsafeMutableBufferPointer { dMid in
                    attention.withUnsafeMutableBufferPointer { dAttention in
                        let reader = TraceReader(base: storage.baseAddress!, layout: trace.layout)
                        values = (0..<s.batch).map { copy in
                            headBackward(
                                reader: reader, trace: trace, target: target, copy: copy, scratch: scratch,
                                into: dResidual.baseAddress! + (L * rows + copy * n) * d, pool: pool)
                        }
                        var ropeTables: [RotaryEmbedding: RoPETable] = [:]
                        for l in stride(from: L - 1, through: 0, by: -1) {
                            let layer = layers[l]
                            let table = layer.attention.rope.map { rope in
                                if let table = ropeTables[rope] { return table }
                                let table = RoPETable(positions: n, inverseFrequencies: rope.inverseFrequencies)
                                ropeTables[rope] = table
                                return table
                            }
                            layerBackward(
                                layer, index: l, reader: reader, rope: table, scratch: scratch,
                                dPost: dResidual.baseAddress! + (l + 1) * rows * d,
                                dMid: dMid.baseAddress! + l * rows * d, dPre: dResidual.baseAddress! + l * rows * d,
                                dAttention: options.recordAttention
                                    ? dAttention.baseAddress! + l * s.batch * s.heads * n * n : nil,
                                tokens: n, batch: s.batch, pool: pool)
                        }
                    }
                }
            }
        }
        return Gradients(
            shape: s, target: target, values: values, residual: residual,
            mid: mid, attention: options.recordAttention ? attention : nil)
    }

    /// Bytes a backward pass from a trace of `shape` allocates besides the trace: its working buffers and the
    /// gradients it returns (the residual points, and every attention pattern with `options.recordAttention`).
    public static func backwardBytes(shape s: TraceShape, options: BackwardOptions = BackwardOptions()) -> Int {
        let scratch = BackwardScratch.sizes(shape: s).reduce(0, +)
        let gradients = (2 * s.layers + 1) * s.rows * s.dModel
        let attention = options.recordAttention ? s.layers * s.batch * s.heads * s.tokens * s.tokens : 0
        return (scratch + gradients + attention) * MemoryLayout<Float>.size
    }

    /// The target's head in copy `copy`: final norm of the target row, LM head, soft-cap, `f` and `∂f/∂z`, back to
    /// `∂f/∂post(L−1)` at the target position (`dPost`: the copy's `[n, d]`, zero elsewhere). Returns `f`.
    ///
    /// A logit or a contrast needs one or two rows of the head (`f` and its gradient are sparse in `z`); a
    /// log-probability needs every logit: the trace's when it kept that position, else one LM-head pass.
    private func headBackward(
        reader: TraceReader, trace: Trace, target: GradientTarget, copy: Int, scratch: BackwardScratch,
        into dPost: UnsafeMutablePointer<Float>, pool: WorkerPool
    ) -> Double {
        let d = info.dModel, q = target.position, r = copy * trace.shape.tokens + q
        let row = reader.block(.residual, info.layers) + r * d
        let mean = reader.block(.finalNormMean, 0) + r, rstd = reader.block(.finalNormScale, 0) + r
        finalNorm.apply(scratch.headRow, mean: nil, scale: nil, row, rows: 1)
        let value: Double
        if target.contrast != nil || target.objective == .logit {
            var terms = [(token: target.token, sign: 1.0)]
            if let contrast = target.contrast { terms.append((contrast, -1)) }
            scratch.dHeadRow.update(repeating: 0, count: d)
            var f = 0.0
            for (token, sign) in terms {
                let weights = lmHead.outputRow(token)
                var u = Double(lmHead.bias?[token] ?? 0)
                for j in 0..<d { u += Double(weights[j]) * Double(scratch.headRow[j]) }
                var slope = 1.0
                if let cap = logitSoftcap.map(Double.init) {
                    let t = Foundation.tanh(u / cap)
                    u = cap * t
                    slope = 1 - t * t
                }
                f += sign * Double(Float(u))
                for j in 0..<d { scratch.dHeadRow[j] += Float(sign * slope * Double(weights[j])) }
            }
            value = f
        } else {
            let V = info.vocabSize
            if let kept = trace.logits(copy: copy, at: q), !kept.contains(where: \.isNaN) {
                kept.withUnsafeBufferPointer { scratch.logits.update(from: $0.baseAddress!, count: V) }
            } else {
                lmHead.apply(scratch.logits, scratch.headRow, rows: 1, pool: pool, tiles: scratch.tiles)
                if let cap = logitSoftcap { softcapForward(scratch.logits, scratch.logits, cap: cap, count: V) }
            }
            let logits = UnsafeBufferPointer(start: UnsafePointer(scratch.logits), count: V)
            value = target.value(logits: logits)
            target.logitGradient(logits: logits, into: UnsafeMutableBufferPointer(start: scratch.dLogits, count: V))
            if let cap = logitSoftcap {
                softcapBackward(scratch.dLogits, scratch.dLogits, output: scratch.logits, cap: cap, count: V)
            }
            lmHead.backward(scratch.dHeadRow, scratch.dLogits, rows: 1, pool: pool, tiles: scratch.tiles)
        }
        finalNorm.backward(dPost + q * d, scratch.dHeadRow, input: row, mean: mean, rstd: rstd, rows: 1)
        return value
    }

    /// One decoder layer backwards: `dMid` and `dPre` from `dPost`, for every row of the `batch` copies of `tokens`.
    private func layerBackward(
        _ layer: DecoderLayer, index l: Int, reader: TraceReader, rope: RoPETable?, scratch: BackwardScratch,
        dPost: UnsafePointer<Float>, dMid: UnsafeMutablePointer<Float>, dPre: UnsafeMutablePointer<Float>,
        dAttention: UnsafeMutablePointer<Float>?, tokens: Int, batch: Int, pool: WorkerPool
    ) {
        let d = info.dModel, n = batch * tokens
        let pre = reader.block(.residual, l), midRow = reader.block(.mid, l)

        // Feed-forward block: post = mid + [postNorm](down(...)(norm(mid))).
        var dFFNOutput = dPost
        if let norm = layer.postFFNNorm {
            layer.ffn.down.apply(scratch.raw, reader.block(.ffnPost, l), rows: n, pool: pool, tiles: scratch.tiles)
            norm.backward(
                scratch.dRaw, dPost, input: scratch.raw, mean: nil, rstd: reader.block(.postFFNNormScale, l), rows: n)
            dFFNOutput = UnsafePointer(scratch.dRaw)
        }
        if layer.ffn.gate != nil {
            layer.ffnNorm.apply(scratch.normed, mean: nil, scale: nil, midRow, rows: n, pool: pool)
        }
        layer.ffn.backward(
            dNormed: scratch.dNormed, dOutput: dFFNOutput, normed: scratch.normed,
            preActivations: reader.block(.ffnPre, l), scratch: scratch, tokens: n, pool: pool)
        dMid.update(from: dPost, count: n * d)
        layer.ffnNorm.backward(
            dMid, scratch.dNormed, input: midRow, mean: reader.block(.ffnNormMean, l),
            rstd: reader.block(.ffnNormScale, l), rows: n, accumulate: true)

        // Attention block: mid = pre + [postNorm](attention(norm(pre))).
        let probabilities = reader.block(.attention, l), values = reader.block(.values, l)
        var dAttentionOutput = UnsafePointer(dMid)
        if let norm = layer.postAttentionNorm {
            layer.attention.recomputeContext(
                scratch.context, probabilities: probabilities, values: values, tokens: tokens, batch: batch,
                pool: pool)
            layer.attention.output.apply(scratch.raw, scratch.context, rows: n, pool: pool, tiles: scratch.tiles)
            norm.backward(
                scratch.dRaw, dMid, input: scratch.raw, mean: nil, rstd: reader.block(.postAttentionNormScale, l),
                rows: n)
            dAttentionOutput = UnsafePointer(scratch.dRaw)
        }
        layer.inputNorm.apply(scratch.normed, mean: nil, scale: nil, pre, rows: n, pool: pool)
        layer.attention.backward(
            dNormed: scratch.dNormed, dOutput: dAttentionOutput, normed: scratch.normed,
            probabilities: probabilities, values: values, rope: rope, scratch: scratch,
            attentionGradient: dAttention, tokens: tokens, batch: batch, pool: pool)
        dPre.update(from: dMid, count: n * d)
        layer.inputNorm.backward(
            dPre, scratch.dNormed, input: pre, mean: reader.block(.inputNormMean, l),
            rstd: reader.block(.inputNormScale, l), rows: n, accumulate: true)
    }
}

extension DecoderModel {
    /// `f` of `target` from a trace's final residual (of copy `copy` of a batched pass), as the backward computes it
    /// (for a logit or contrast, from the head rows it needs only; the trace need not have computed its logits).
    public func targetValue(trace: Trace, target: GradientTarget, copy: Int = 0) -> Double {
        let d = info.dModel, last = trace.post(info.layers - 1)
        let row = Array(last[(last.startIndex + (copy * trace.shape.tokens + target.position) * d)...].prefix(d))
        var normed = [Float](repeating: 0, count: d)
        finalNorm.apply(&normed, mean: nil, scale: nil, row, rows: 1)
        func logit(_ token: Int) -> Double {
            let weights = lmHead.outputRow(token)
            var u = Double(lmHead.bias?[token] ?? 0)
            for j in 0..<d { u += Double(weights[j]) * Double(normed[j]) }
            if let cap = logitSoftcap.map(Double.init) { u = cap * Foundation.tanh(u / cap) }
            return Double(Float(u))
        }
        if let contrast = target.contrast { return logit(target.token) - logit(contrast) }
        if target.objective == .logit { return logit(target.token) }
        var logits = [Float](repeating: 0, count: info.vocabSize)
        lmHead.apply(&logits, normed, rows: 1)
        return logits.withUnsafeMutableBufferPointer { z in
            if let cap = logitSoftcap { softcapForward(z.baseAddress!, z.baseAddress!, cap: cap, count: z.count) }
            return target.value(logits: UnsafeBufferPointer(z))
        }
    }
}
