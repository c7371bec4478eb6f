import Tensors
import Transformer

extension AttentionContributions {
    /// Computes the weights of `layer` from the factored part vectors: an `O(d)` pass per (target, visible source,
    /// head). Targets are independent and split over `pool` in chunks of equal work; each target's numbers do not
    /// depend on the split, so any worker count gives bit-identical results.
    public static func compute(model: DecoderModel, trace: Trace, layer l: Int, pool: WorkerPool = .serial) throws
        -> AttentionContributions
    {
        try ContributionInputs.check(model: model, trace: trace)
        try AnalysisError.check(l, below: model.info.layers, "layer")
        let parts = try AttentionPartVectors.compute(model: model, trace: trace, layer: l, pool: pool)
        let n = trace.shape.tokens, H = parts.heads, d = parts.dModel
        let window = model.layers[l].attention.window
        var weights = [Float](repeating: 0, count: bandedCount(tokens: n, heads: H, window: window))
        var residual = [Float](repeating: 0, count: n), biasL1 = [Float](repeating: 0, count: n)

        let attention = trace.slice(.attention, l), pre = trace.pre(l), mid = trace.mid(l)
        let ranges = balancedTargetRanges(tokens: n, window: window, workers: pool.workers)
        parts.vectors.withUnsafeBufferPointer { u in
            attention.withUnsafeBufferPointer { a in
                pre.withUnsafeBufferPointer { x in
                    mid.withUnsafeBufferPointer { y in
                        weights.withUnsafeMutableBufferPointer { w in
                            residual.withUnsafeMutableBufferPointer { r in
                                let shared = TargetPassInputs(
                                    vectors: SharedReadPointer(u.baseAddress!),
                                    attention: SharedReadPointer(a.baseAddress!),
                                    pre: SharedReadPointer(x.baseAddress!), mid: SharedReadPointer(y.baseAddress!),
                                    weights: DisjointPointer(w.baseAddress!), residual: DisjointPointer(r.baseAddress!))
                                WorkerPool(workers: ranges.count).forEachChunk(of: ranges.count) { chunks in
                                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: d)
                                    defer { scratch.deallocate() }
                                    for chunk in chunks {
                                        for q in ranges[chunk] {
                                            shared.target(q, parts: parts, window: window, scratch: scratch)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for q in 0..<n {
            let s = Double(parts.scale(target: q))
            biasL1[q] = Float(parts.bias.reduce(0.0) { $0 + abs(Double($1) * s) })
        }
        return AttentionContributions(
            layer: l, tokens: n, heads: H, window: window, bandedWeights: weights,
            residual: residual, biasL1: biasL1)
    }

    /// Splits `0..<tokens` into at most `workers` contiguous ranges of about equal work (a target's work grows with
    /// the number of sources it sees).
    static func balancedTargetRanges(tokens n: Int, window: Int?, workers: Int) -> [Range<Int>] {
        let cost = (0..<n).map { sources(of: $0, window: window).count + 1 }
        let total = cost.reduce(0, +)
        let count = max(1, min(workers, n))
        var ranges: [Range<Int>] = [], start = 0, done = 0
        for q in 0..<n {
            done += cost[q]
            if done * count >= total * (ranges.count + 1) || q == n - 1 {
                ranges.append(start..<(q + 1))
                start = q + 1
            }
        }
        return ranges.filter { !$0.isEmpty }
    }
}

/// Pointers one target's pass reads and writes (each target writes only its own row).
private struct TargetPassInputs: Sendable {
    let vectors: SharedReadPointer
    let attention: SharedReadPointer
    let pre: SharedReadPointer
    let mid: SharedReadPointer
    let weights: DisjointPointer
    let residual: DisjointPointer

    /// Proximities of every visible (source, head) part and of the residual for target `q`, normalised.
    func target(_ q: Int, parts: AttentionPartVectors, window: Int?, scratch: UnsafeMutablePointer<Float>) {
        let n = parts.tokens, H = parts.heads, d = parts.dModel
        let size = ProximityKernel.prepare(whole: mid.base + q * d, into: scratch, count: d)
        let rest = ProximityKernel.proximity(
            size: size, distance: ProximityKernel.distance(scale: 1, pre.base + q * d, shiftedWhole: scratch, count: d))
        var total = rest
        let s = parts.scale(target: q)
        let row = weights.base + AttentionContributions.rowStart(q, window: window) * H
        let sources = AttentionContributions.sources(of: q, window: window)
        var proximities = [Double](repeating: 0, count: sources.count * H)
        for (i, k) in sources.enumerated() {
            for h in 0..<H {
                let a = attention.base[(h * n + q) * n + k] * s
                let distance = ProximityKernel.distance(
                    scale: a, vectors.base + parts.offset(source: k, head: h),
                    shiftedWhole: scratch, count: d)
                let p = ProximityKernel.proximity(size: size, distance: distance)
                proximities[i * H + h] = p
                total += p
            }
        }
        for i in 0..<sources.count {
            for h in 0..<H { row[i * H + h] = Float(proximities[i * H + h] / total) }
        }
        residual.base[q] = Float(rest / total)
    }
}
