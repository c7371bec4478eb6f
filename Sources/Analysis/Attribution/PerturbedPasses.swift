import Synchronization
import Tensors
import Transformer

/// Many independent passes of one model over the same tokens with different input embeddings (integrated
/// gradients' interpolations, occlusion's replaced rows), split over the workers: each worker runs whole passes
/// with one BLAS thread, so the passes, not the rows of one small pass, fill the cores.
struct PerturbedPasses {
    let model: DecoderModel
    let tokens: [Int]
    let target: GradientTarget
    let workers: Int

    /// What one pass gives back: `f`, and `∂f/∂e` (`[n, d]`) when gradients were asked for.
    struct Outcome: Sendable {
        let value: Double
        let gradient: [Float]?
    }

    /// Runs `count` passes, pass `i` from `rows(i)`, in any order; `progress(done)` after each, `shouldContinue`
    /// before each (false stops with `AnalysisCancelled`). `combine` receives the outcomes in pass order.
    func run(
        count: Int, gradients: Bool, rows: @Sendable (Int) -> [Float], shouldContinue: @Sendable () -> Bool,
        progress: @Sendable (Int) -> Void
    ) throws -> [Outcome] {
        let results = Mutex<[Outcome?]>(Array(repeating: nil, count: count))
        let failure = Mutex<(any Error)?>(nil)
        let done = Atomic<Int>(0)
        if workers > 1 { BLASThreads.set(1) }
        let pass = self
        WorkerPool(workers: min(workers, max(1, count))).forEachChunk(of: count) { range in
            for i in range {
                guard failure.withLock({ $0 == nil }) else { return }
                guard shouldContinue() else {
                    failure.withLock { $0 = $0 ?? AnalysisCancelled() }
                    return
                }
                do {
                    let outcome = try pass.one(rows: rows(i), gradients: gradients)
                    results.withLock { $0[i] = outcome }
                    progress(done.add(1, ordering: .relaxed).newValue)
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }

    /// One pass from the given input embeddings.
    func one(rows: [Float], gradients: Bool) throws -> Outcome {
        var options = ForwardOptions(logitPositions: [target.position])
        options.inputEmbeddings = rows
        // A logit or contrast target needs only its head rows, which the backward reads itself; the full LM head
        // (the largest weight of small models) runs only for a log-probability.
        options.computeLogits = target.objective == .logprob && target.contrast == nil
        let trace = try model.forward(tokens: tokens, options: options)
        guard gradients else {
            if options.computeLogits {
                let value = trace.logits(at: target.position)!.withUnsafeBufferPointer { target.value(logits: $0) }
                return Outcome(value: value, gradient: nil)
            }
            return Outcome(value: model.targetValue(trace: trace, target: target), gradient: nil)
        }
        let backward = try model.backward(trace: trace, target: target)
        return Outcome(value: backward.value, gradient: Array(backward.inputEmbeddings))
    }
}
