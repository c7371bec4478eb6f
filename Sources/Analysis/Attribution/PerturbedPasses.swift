import Synchronization
import Tensors
import Transformer

/// Many independent passes of one model over the same tokens with different input embeddings (integrated
/// gradients' interpolations, occlusion's replaced rows). Each worker takes a share of the passes and runs them as
/// batched passes (`ForwardOptions.batch`: copies of the prompt stacked row-wise, so one GEMM serves every copy and
/// the weights stream from memory once per batch) with one BLAS thread.
struct PerturbedPasses {
    let model: DecoderModel
    let tokens: [Int]
    let target: GradientTarget
    let workers: Int
    /// Workers inside each batched pass (GEMM columns, heads, rows); 1 when the passes themselves are split.
    var passWorkers = 1
    /// Rows of one batched pass at most.
    var batchRows = PerturbedPasses.maxBatchRows

    /// Rows (copies × tokens) of one batched pass at most: beyond a few hundred rows a GEMM gains nothing more.
    static let maxBatchRows = 512
    /// Bytes the traces of one batch may take at most (each worker has its own batch in flight).
    static let maxBatchTraceBytes = 256 << 20

    /// What one pass gives back: `f`, and `∂f/∂e` (`[n, d]`) when gradients were asked for.
    struct Outcome: Sendable {
        let value: Double
        let gradient: [Float]?
    }

    /// Copies per batched pass for `count` passes: every worker busy, within the row and memory bounds.
    func batchSize(count: Int) -> Int {
        let n = tokens.count
        let shape = model.traceShape(tokens: n, logitPositions: [target.position])
        let copyBytes = TraceLayout(shape: shape).totalCount * MemoryLayout<Float>.size
        let perWorker = (count + workers - 1) / workers
        return max(1, min(perWorker, batchRows / n, Self.maxBatchTraceBytes / max(1, copyBytes)))
    }

    /// Runs `count` passes, pass `i` from `rows(i)`, in batches on the workers; `progress(done)` after each batch,
    /// `shouldContinue` before each (false stops with `AnalysisCancelled`). The outcomes come back in pass order.
    func run(
        count: Int, gradients: Bool, rows: @Sendable (Int) -> [Float], shouldContinue: @Sendable () -> Bool,
        progress: @Sendable (Int) -> Void
    ) throws -> [Outcome] {
        let results = Mutex<[Outcome?]>(Array(repeating: nil, count: count))
        let failure = Mutex<(any Error)?>(nil)
        let done = Atomic<Int>(0)
        if workers > 1 { BLASThreads.set(1) }
        let pass = self, size = batchSize(count: count)
        WorkerPool(workers: min(workers, max(1, count))).forEachChunk(of: count) { range in
            for start in stride(from: range.lowerBound, to: range.upperBound, by: size) {
                guard failure.withLock({ $0 == nil }) else { return }
                guard shouldContinue() else {
                    failure.withLock { $0 = $0 ?? AnalysisCancelled() }
                    return
                }
                let batch = start..<min(start + size, range.upperBound)
                do {
                    let outcomes = try pass.batch(batch.map(rows), gradients: gradients)
                    results.withLock { results in
                        for (i, outcome) in zip(batch, outcomes) { results[i] = outcome }
                    }
                    progress(done.add(batch.count, ordering: .relaxed).newValue)
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }

    /// One batched pass: a copy of the prompt per element of `inputs` (each `[n, d]`).
    func batch(_ inputs: [[Float]], gradients: Bool) throws -> [Outcome] {
        var options = ForwardOptions(logitPositions: [target.position], workers: passWorkers)
        options.batch = inputs.count
        options.inputEmbeddings = inputs.flatMap { $0 }
        // A logit or contrast target needs only its head rows, which the backward reads itself; the full LM head
        // (the largest weight of small models) runs only for a log-probability.
        options.computeLogits = target.objective == .logprob && target.contrast == nil
        let trace = try model.forward(tokens: tokens, options: options)
        guard gradients else {
            return inputs.indices.map { copy in
                if options.computeLogits {
                    let value = trace.logits(copy: copy, at: target.position)!.withUnsafeBufferPointer {
                        target.value(logits: $0)
                    }
                    return Outcome(value: value, gradient: nil)
                }
                return Outcome(value: model.targetValue(trace: trace, target: target, copy: copy), gradient: nil)
            }
        }
        let backward = try model.backward(trace: trace, target: target)
        let block = tokens.count * model.info.dModel, all = backward.inputEmbeddings
        return inputs.indices.map { copy in
            let start = all.startIndex + copy * block
            return Outcome(value: backward.values[copy], gradient: Array(all[start..<(start + block)]))
        }
    }
}
