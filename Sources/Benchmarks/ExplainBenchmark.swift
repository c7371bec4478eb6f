import Analysis
import Dispatch
import Synchronization
import Tensors
import Transformer

/// `glassbox bench explain`: the whole explainer evaluation of the top-1 logit at the last position (every explainer,
/// the curves of their orders and of the random orders, stability under noise and against a variant) on a random
/// prompt, with the time of each stage.
public struct ExplainBenchmark: Sendable {
    /// One measured (threads, tokens, scheduling) cell.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let tokens: Int
        public let scheduling: String
        public let batchRows: Int
        /// The traced forward pass of the prompt.
        public let forwardSeconds: Double
        /// The evaluation, from scores to stability.
        public let evaluationSeconds: Double
        /// Seconds per stage: scores, curves, noise, variant.
        public let stageSeconds: [String: Double]
        /// Passes the evaluation ran (distinct curve inputs merged).
        public let passes: Int
        public let verdict: String
    }

    public let model: DecoderModel
    public let tokenCounts: [Int]
    public let threadCounts: [Int]
    public let parameters: EvaluationParameters
    public let schedulings: [PassScheduling]

    public init(
        model: DecoderModel, tokenCounts: [Int], threadCounts: [Int], parameters: EvaluationParameters,
        schedulings: [PassScheduling]
    ) {
        self.model = model
        self.tokenCounts = tokenCounts
        self.threadCounts = threadCounts
        self.parameters = parameters
        self.schedulings = schedulings
    }

    /// Runs every cell once; `progress` receives each row.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        BLASThreads.set(1)
        for threads in threadCounts {
            for n in tokenCounts {
                for scheduling in schedulings {
                    let row = try cell(threads: threads, tokens: n, scheduling: scheduling)
                    rows.append(row)
                    progress(row)
                }
            }
        }
        return rows
    }

    private func cell(threads: Int, tokens n: Int, scheduling: PassScheduling) throws -> Row {
        let ids = ForwardBenchmark.tokens(count: n, vocabulary: model.info.vocabSize)
        var variant = ids
        variant[n / 2] = (variant[n / 2] + 1) % model.info.vocabSize
        let (forward, trace) = try Stopwatch.time {
            try model.forward(tokens: ids, options: ForwardOptions(workers: threads))
        }
        let logits = trace.logits(at: n - 1)!
        let top = logits.indices.max { logits[$0] < logits[$1] }! - logits.startIndex
        let target = GradientTarget(position: n - 1, token: top)
        // The clock time at which each stage last reported, and the passes counted.
        let marks = Mutex<[EvaluationProgress.Stage: UInt64]>([:])
        let start = DispatchTime.now().uptimeNanoseconds
        let (seconds, evaluation) = try Stopwatch.time {
            try ExplanationEvaluation.evaluate(
                model: model, trace: trace, target: target, parameters: parameters, variant: variant,
                workers: threads, scheduling: scheduling,
                progress: { p in marks.withLock { $0[p.stage] = DispatchTime.now().uptimeNanoseconds } })
        }
        let stages: [EvaluationProgress.Stage] = [.scores, .curves, .noise, .variant]
        var stageSeconds: [String: Double] = [:], previous = start
        let ends = marks.withLock { $0 }
        for stage in stages {
            guard let end = ends[stage] else { continue }
            stageSeconds[stage.rawValue] = Double(end - previous) / 1e9
            previous = end
        }
        return Row(
            threads: threads, tokens: n, scheduling: scheduling.mode.rawValue, batchRows: scheduling.batchRows,
            forwardSeconds: forward, evaluationSeconds: seconds, stageSeconds: stageSeconds,
            passes: evaluation.passes,
            verdict: EvaluationVerdict(evaluation).text)
    }
}
