import Analysis
import Tensors
import Transformer

/// `glassbox bench graph`: the whole contribution analysis of a run (every layer's contributions, the thresholded
/// graph and the paths of every start token) at several prompt lengths and worker counts.
public struct GraphBenchmark: Sendable {
    /// One measured (threads, tokens) cell.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let tokens: Int
        /// The traced forward pass the analysis reads (once per cell, not repeated).
        public let forwardSeconds: Double
        /// Contributions of every layer.
        public let contributions: TimingSummary
        /// Thresholding, renormalising and building the edges.
        public let graph: TimingSummary
        /// Paths to the prediction of every start token.
        public let paths: TimingSummary
        /// All three stages together.
        public let total: TimingSummary
        /// Edges of the thresholded graph.
        public let edges: Int
        /// Edges over all start tokens' path sets.
        public let pathEdges: Int
        /// Bytes of the trace the analysis reads.
        public let traceBytes: Int
        /// Resident memory the analysis added at its peak over what the process held with the trace (Linux), or nil.
        public let addedPeakBytes: Int?
    }

    public let model: DecoderModel
    public let tokenCounts: [Int]
    public let threadCounts: [Int]
    public let repeats: Int
    public let options: GraphOptions

    public init(model: DecoderModel, tokenCounts: [Int], threadCounts: [Int], repeats: Int, options: GraphOptions) {
        self.model = model
        self.tokenCounts = tokenCounts
        self.threadCounts = threadCounts
        self.repeats = repeats
        self.options = options
    }

    /// Runs every cell; `progress` receives each row as it completes.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        BLASThreads.set(1)
        for threads in threadCounts {
            for n in tokenCounts {
                let ids = ForwardBenchmark.tokens(count: n, vocabulary: model.info.vocabSize)
                let (forwardSeconds, trace) = try Stopwatch.time {
                    try model.forward(tokens: ids, options: ForwardOptions(workers: threads))
                }
                let before = ResourceUsage.currentResidentBytes
                let canMeasure = ResourceUsage.resetPeak()
                var stages: [[Double]] = [[], [], []]
                var edges = 0, pathEdges = 0
                for run in 0...max(1, repeats) {
                    let (c, contributions) = try Stopwatch.time {
                        try ModelContributions.compute(model: model, trace: trace, workers: threads)
                    }
                    let (g, graph) = Stopwatch.time {
                        ContributionGraph(contributions: contributions, options: options)
                    }
                    let (p, paths) = Stopwatch.time { graph.pathsForAllStarts() }
                    edges = graph.edges.count
                    pathEdges = paths.reduce(0) { $0 + $1.count }
                    if run > 0 { // run 0 warms up
                        stages[0].append(c)
                        stages[1].append(g)
                        stages[2].append(p)
                    }
                }
                let peak = canMeasure ? ResourceUsage.peakResidentSinceResetBytes : nil
                let totals = (0..<stages[0].count).map { stages[0][$0] + stages[1][$0] + stages[2][$0] }
                let row = Row(
                    threads: threads, tokens: n, forwardSeconds: forwardSeconds,
                    contributions: TimingSummary(stages[0]),
                    graph: TimingSummary(stages[1]), paths: TimingSummary(stages[2]),
                    total: TimingSummary(totals), edges: edges, pathEdges: pathEdges,
                    traceBytes: trace.storage.count * MemoryLayout<Float>.size,
                    addedPeakBytes: Self.difference(peak, before))
                rows.append(row)
                progress(row)
            }
        }
        return rows
    }

    private static func difference(_ peak: Int?, _ before: Int?) -> Int? {
        guard let peak, let before else { return nil }
        return max(0, peak - before)
    }
}
