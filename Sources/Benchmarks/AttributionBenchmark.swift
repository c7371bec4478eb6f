import Analysis
import Tensors
import Transformer

/// `glassbox bench attribute`: the traced forward pass, saliency (one backward pass from the trace) and integrated
/// gradients (m interpolated passes with their backward, plus f(E) and f(E')) at several prompt lengths and worker
/// counts, with the memory the backward allocates besides the trace.
public struct AttributionBenchmark: Sendable {
    /// One measured (threads, tokens) cell.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let tokens: Int
        /// The traced forward pass of the run (all logits recorded for the last position).
        public let forward: TimingSummary
        /// Saliency from the run's trace: the backward pass and the row norms.
        public let saliency: TimingSummary
        /// Integrated gradients with `steps` steps from the zero baseline.
        public let integratedGradients: TimingSummary
        public let steps: Int
        /// `(forward + saliency) / forward`: a saliency from scratch in forward passes.
        public let saliencyOverForward: Double
        /// Bytes of the run's trace.
        public let traceBytes: Int
        /// What the saliency backward allocates besides the trace (its buffers and the gradients it returns).
        public let backwardBytes: Int
        /// Relative completeness gap of the last integrated-gradients run.
        public let relativeCompletenessGap: Double
    }

    public let model: DecoderModel
    public let tokenCounts: [Int]
    public let threadCounts: [Int]
    public let repeats: Int
    public let steps: Int

    public init(model: DecoderModel, tokenCounts: [Int], threadCounts: [Int], repeats: Int, steps: Int) {
        self.model = model
        self.tokenCounts = tokenCounts
        self.threadCounts = threadCounts
        self.repeats = repeats
        self.steps = steps
    }

    /// Runs every cell (one warm-up, then `repeats` timed runs of each stage); `progress` receives each row.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        // One BLAS thread: the workers are the parallelism (a single worker then really is one thread).
        BLASThreads.set(1)
        for threads in threadCounts {
            for n in tokenCounts {
                let ids = ForwardBenchmark.tokens(count: n, vocabulary: model.info.vocabSize)
                let options = ForwardOptions(workers: threads)
                var trace = try model.forward(tokens: ids, options: options)
                let row = trace.logits(at: n - 1)!
                let top = row.indices.max { row[$0] < row[$1] }! - row.startIndex
                let target = GradientTarget(position: n - 1, token: top)
                let saliency = AttributionParameters(method: .saliency)
                let ig = AttributionParameters(method: .ig, steps: steps)

                var forwards: [Double] = [], saliencies: [Double] = [], integrated: [Double] = []
                var gap = 0.0
                for run in 0...repeats {
                    let (f, fresh) = try Stopwatch.time { try model.forward(tokens: ids, options: options) }
                    trace = fresh
                    let (s, _) = try Stopwatch.time {
                        try Attribution.compute(
                            model: model, trace: trace, target: target, parameters: saliency, workers: threads)
                    }
                    let (i, result) = try Stopwatch.time {
                        try Attribution.compute(
                            model: model, trace: trace, target: target, parameters: ig, workers: threads)
                    }
                    gap = result.relativeCompletenessGap ?? .nan
                    if run > 0 { // run 0 warms up
                        forwards.append(f)
                        saliencies.append(s)
                        integrated.append(i)
                    }
                }
                let forward = TimingSummary(forwards), backward = TimingSummary(saliencies)
                let measured = Row(
                    threads: threads, tokens: n, forward: forward, saliency: backward,
                    integratedGradients: TimingSummary(integrated), steps: steps,
                    saliencyOverForward: (forward.median + backward.median) / forward.median,
                    traceBytes: trace.storage.count * MemoryLayout<Float>.size,
                    backwardBytes: DecoderModel.backwardBytes(shape: trace.shape),
                    relativeCompletenessGap: gap)
                rows.append(measured)
                progress(measured)
            }
        }
        return rows
    }
}
