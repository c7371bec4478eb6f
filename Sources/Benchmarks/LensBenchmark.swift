import Analysis
import Tensors
import Transformer

/// `glassbox bench lens`: the logit-lens grid of a run (top-1 of every layer's output at every position, what
/// `GET /lens-grid` and the anomalies' lens flips compute), its LM-head pass alone, a range of positions as the
/// browser fetches it, and optionally the serial baseline (`SerialLensGrid`) with a bit-for-bit comparison.
public struct LensBenchmark: Sendable {
    /// One measured (threads, tokens) cell.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let tokens: Int
        /// Rows unembedded for the whole grid: layers × tokens.
        public let rows: Int
        /// The traced forward pass the grid reads (once per cell).
        public let forwardSeconds: Double
        /// The whole grid (`NextTokenTable.lensGrid`, post, normalized, k = 1).
        public let grid: TimingSummary
        /// Its final norm and LM head alone (`LogitRowPass` with nothing done with the logits).
        public let logits: TimingSummary
        /// CPU seconds of the process (all workers) during the grid and during the LM-head pass: on a shared
        /// machine a steadier measure of the work than wall time.
        public let gridCPUSeconds: Double
        public let logitsCPUSeconds: Double
        /// Multiply-adds of the LM head over the whole grid, as flops: 2 · rows · d · V.
        public let headFlops: Double
        /// A range of `rangeTokens` positions in the middle of the run.
        public let range: TimingSummary
        public let rangeTokens: Int
        /// CPU microseconds (one thread) of one row's softmax and top-1 (`NextTokenPrediction.top`), and of the
        /// baseline's (`SerialLensGrid.top`: every denominator term computed, the row copied), over the first 16
        /// positions of every layer.
        public let rowMicroseconds: Double
        public let baselineRowMicroseconds: Double
        /// The serial baseline, when asked for.
        public let baseline: TimingSummary?
        /// Whether the grid equals the baseline bit for bit (ids, logits and probabilities), when compared.
        public let identical: Bool?
        /// Whether the range equals the same columns of the whole grid bit for bit.
        public let rangeIdentical: Bool
        /// Resident memory the grid added at its peak over what the process held with the trace (Linux), or nil.
        public let addedPeakBytes: Int?
    }

    public let model: DecoderModel
    public let tokenCounts: [Int]
    public let threadCounts: [Int]
    public let repeats: Int
    public let rangeTokens: Int
    public let budgetBytes: Int
    public let baseline: Bool

    public init(
        model: DecoderModel, tokenCounts: [Int], threadCounts: [Int], repeats: Int, rangeTokens: Int,
        budgetBytes: Int, baseline: Bool
    ) {
        self.model = model
        self.tokenCounts = tokenCounts
        self.threadCounts = threadCounts
        self.repeats = repeats
        self.rangeTokens = rangeTokens
        self.budgetBytes = budgetBytes
        self.baseline = baseline
    }

    /// Runs every cell; `progress` receives each row as it completes.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        BLASThreads.set(1)
        let info = model.info
        for threads in threadCounts {
            for n in tokenCounts {
                let ids = ForwardBenchmark.tokens(count: n, vocabulary: info.vocabSize)
                let (forwardSeconds, trace) = try Stopwatch.time {
                    try model.forward(tokens: ids, options: ForwardOptions(workers: threads))
                }
                let count = info.layers * n
                var block = [Float]()
                for l in 0..<info.layers { block += trace.post(l) }
                let pass = LogitRowPass(model: model, normalize: true, budgetBytes: budgetBytes)
                let before = ResourceUsage.currentResidentBytes
                let canMeasure = ResourceUsage.resetPeak()
                var grid: [[[NextTokenPrediction]]] = []
                var gridCPU = 0.0, logitsCPU = 0.0
                let gridTimes = try (0..<repeats).map { _ in
                    var seconds = 0.0
                    gridCPU += try Stopwatch.processCPUTime {
                        (seconds, grid) = try Stopwatch.time {
                            try NextTokenTable.lensGrid(
                                model: model, trace: trace, point: .post, workers: threads, budgetBytes: budgetBytes)
                        }
                    }
                    return seconds
                }
                let peak = canMeasure ? ResourceUsage.peakResidentSinceResetBytes : nil
                let logitTimes = try (0..<repeats).map { _ in
                    var seconds = 0.0
                    logitsCPU += try Stopwatch.processCPUTime {
                        seconds = try Stopwatch.time {
                            try pass.forEachChunk(rows: block[...], count: count, workers: threads) { _, _ in }
                        }.seconds
                    }
                    return seconds
                }
                // The reduction's cost depends on the spread of the logits, which differs between layers: the
                // sample is the first 16 positions of every layer.
                let sampled = min(n, 16), d = info.dModel
                var sample = [Float]()
                for l in 0..<info.layers {
                    sample += block[(l * n * d)..<((l * n + sampled) * d)]
                }
                let (rowMicroseconds, baselineRowMicroseconds) = try Self.rowReduction(
                    pass, rows: sample, count: info.layers * sampled)
                let width = min(rangeTokens, n), first = (n - width) / 2
                var range: [[[NextTokenPrediction]]] = []
                let rangeTimes = try (0..<repeats).map { _ in
                    let (seconds, result) = try Stopwatch.time {
                        try NextTokenTable.lensGrid(
                            model: model, trace: trace, point: .post, positions: first..<(first + width),
                            workers: threads, budgetBytes: budgetBytes)
                    }
                    range = result
                    return seconds
                }
                var baselineTimes: [Double]? = nil, identical: Bool? = nil
                if baseline {
                    var serial: [[[NextTokenPrediction]]] = []
                    baselineTimes = try (0..<repeats).map { _ in
                        let (seconds, result) = try Stopwatch.time {
                            try SerialLensGrid.compute(model: model, trace: trace, point: .post, workers: threads)
                        }
                        serial = result
                        return seconds
                    }
                    identical = Self.bitwiseEqual(serial, grid)
                }
                let row = Row(
                    threads: threads, tokens: n, rows: count, forwardSeconds: forwardSeconds,
                    grid: TimingSummary(gridTimes), logits: TimingSummary(logitTimes),
                    gridCPUSeconds: gridCPU / Double(repeats), logitsCPUSeconds: logitsCPU / Double(repeats),
                    headFlops: 2 * Double(count) * Double(info.dModel) * Double(info.vocabSize),
                    range: TimingSummary(rangeTimes), rangeTokens: width,
                    rowMicroseconds: rowMicroseconds, baselineRowMicroseconds: baselineRowMicroseconds,
                    baseline: baselineTimes.map(TimingSummary.init), identical: identical,
                    rangeIdentical: Self.bitwiseEqual(range, grid.map { Array($0[first..<(first + width)]) }),
                    addedPeakBytes: peak.flatMap { p in before.map { max(0, p - $0) } })
                rows.append(row)
                progress(row)
            }
        }
        return rows
    }

    /// CPU microseconds per row of the softmax and top-1, now and in the baseline, over `count` rows' logits.
    static func rowReduction(_ pass: LogitRowPass, rows: [Float], count: Int) throws -> (Double, Double) {
        let V = pass.model.info.vocabSize
        var now = 0.0, before = 0.0
        try pass.forEachChunk(rows: rows[...], count: count, workers: 1) { chunk, logits in
            now += Stopwatch.threadCPUTime {
                for r in 0..<chunk.count {
                    _ = NextTokenPrediction.top(UnsafeBufferPointer(start: logits + r * V, count: V), k: 1)
                }
            }
            before += Stopwatch.threadCPUTime {
                for r in 0..<chunk.count {
                    _ = SerialLensGrid.top(Array(UnsafeBufferPointer(start: logits + r * V, count: V)), k: 1)
                }
            }
        }
        return (now / Double(count) * 1e6, before / Double(count) * 1e6)
    }

    /// Equal ids, and logits and probabilities with the same bits.
    static func bitwiseEqual(_ a: [[[NextTokenPrediction]]], _ b: [[[NextTokenPrediction]]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) {
                guard p.count == q.count else { return false }
                for (u, v) in zip(p, q)
                where u.id != v.id || u.logit.bitPattern != v.logit.bitPattern
                    || u.probability.bitPattern != v.probability.bitPattern
                {
                    return false
                }
            }
        }
        return true
    }
}
