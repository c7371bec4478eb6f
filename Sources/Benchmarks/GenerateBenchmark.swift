import Dispatch
import Tensors
import Transformer

/// `glassbox bench generate`: greedy decoding with the KV cache, timed per token, at several thread counts.
///
/// The prompt is `ForwardBenchmark.tokens` (the fixed sequence `tools/bench/generate_reference.py` reproduces); no
/// end-of-sequence id stops a run, so each produces exactly `newTokens` tokens. Time to first token is from the call
/// to the first token handed out (reading the prompt and one choice); the decoding rate is
/// `(newTokens − 1) / (time of the last token − time of the first)`, the tokens after the first.
public struct GenerateBenchmark: Sendable {
    /// One thread count's medians.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let promptTokens: Int
        public let newTokens: Int
        public let timeToFirstToken: TimingSummary
        /// Tokens per second after the first, per run.
        public let decodeTokensPerSecond: [Double]
        public let total: TimingSummary

        /// The median decoding rate.
        public var medianDecodeTokensPerSecond: Double {
            let sorted = decodeTokensPerSecond.sorted()
            let n = sorted.count
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        }
    }

    public let generator: TextGenerator
    public let promptTokens: Int
    public let newTokens: Int
    public let threadCounts: [Int]
    public let repeats: Int

    public init(generator: TextGenerator, promptTokens: Int, newTokens: Int, threadCounts: [Int], repeats: Int) {
        self.generator = generator
        self.promptTokens = promptTokens
        self.newTokens = newTokens
        self.threadCounts = threadCounts
        self.repeats = repeats
    }

    /// Runs every thread count (one untimed warm-up generation each); `progress` receives each row.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        let ids = ForwardBenchmark.tokens(count: promptTokens, vocabulary: generator.model.info.vocabSize)
        var rows: [Row] = []
        defer { BLASThreads.set(1) }
        for threads in threadCounts {
            BLASThreads.set(1)
            let options = GenerationOptions(maxNewTokens: newTokens, sampling: .greedy, candidates: 5, workers: threads)
            var warmUp = options
            warmUp.maxNewTokens = min(4, newTokens)
            _ = try generator.generate(promptIDs: ids, options: warmUp)
            var first: [Double] = [], totals: [Double] = [], rates: [Double] = []
            for _ in 0..<max(1, repeats) {
                var stamps: [UInt64] = []
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try generator.generate(promptIDs: ids, options: options) { _ in
                    stamps.append(DispatchTime.now().uptimeNanoseconds)
                    return true
                }
                let end = DispatchTime.now().uptimeNanoseconds
                first.append(Double(stamps[0] - start) / 1e9)
                totals.append(Double(end - start) / 1e9)
                let decoding = Double(stamps[stamps.count - 1] - stamps[0]) / 1e9
                rates.append(stamps.count > 1 ? Double(stamps.count - 1) / decoding : .nan)
            }
            let row = Row(
                threads: threads, promptTokens: promptTokens, newTokens: newTokens,
                timeToFirstToken: TimingSummary(first), decodeTokensPerSecond: rates, total: TimingSummary(totals))
            rows.append(row)
            progress(row)
        }
        return rows
    }
}
