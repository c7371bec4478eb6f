import Tensors
import Transformer

/// `glassbox bench forward`: times the traced forward pass at several lengths and thread counts, and the bare
/// `sgemm` sequence of the same shapes, so the GEMM efficiency of the pass can be stated as a ratio.
///
/// At `t` threads the pass runs with `t` workers and OpenBLAS at one thread (as `glassbox` runs it); the bare
/// sequence runs with OpenBLAS's own `t` threads, the best plain BLAS offers at those shapes.
public struct ForwardBenchmark: Sendable {
    /// One measured (threads, tokens) cell.
    public struct Row: Sendable, Codable, Equatable {
        public let threads: Int
        public let tokens: Int
        public let forward: TimingSummary
        public let bareGEMM: TimingSummary
        public let gemmFLOPs: Double
        /// Tokens per second at the median.
        public var tokensPerSecond: Double { Double(tokens) / forward.median }
        /// GEMM FLOPs of the pass divided by the median forward time.
        public var forwardGFLOPs: Double { gemmFLOPs / forward.median / 1e9 }
        /// GEMM FLOPs divided by the median time of the bare GEMM sequence.
        public var bareGEMMGFLOPs: Double { gemmFLOPs / bareGEMM.median / 1e9 }
        /// Share of bare-GEMM speed that the whole pass reaches (1 = all time is GEMM at full speed).
        public var gemmEfficiency: Double { bareGEMM.median / forward.median }
        /// Bytes of the Trace recorded by one pass.
        public let traceBytes: Int
        /// Peak resident bytes of the process while the passes of this cell ran (model, trace, scratch; not the bare
        /// GEMM's buffers), or nil where the kernel's high-water mark cannot be reset.
        public let passPeakResidentBytes: Int?
    }

    public let model: DecoderModel
    public let tokenCounts: [Int]
    public let threadCounts: [Int]
    public let repeats: Int

    public init(model: DecoderModel, tokenCounts: [Int], threadCounts: [Int], repeats: Int) {
        self.model = model
        self.tokenCounts = tokenCounts
        self.threadCounts = threadCounts
        self.repeats = repeats
    }

    /// Deterministic pseudo-random token ids (a fixed linear congruential sequence) in the model's vocabulary.
    public static func tokens(count: Int, vocabulary: Int) -> [Int] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(vocabulary))
        }
    }

    /// Runs every cell; `progress` receives each row as it completes.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        defer { BLASThreads.set(1) }
        for threads in threadCounts {
            for n in tokenCounts {
                BLASThreads.set(1)
                let ids = Self.tokens(count: n, vocabulary: model.info.vocabSize)
                let options = ForwardOptions(workers: threads)
                let resetPeak = ResourceUsage.resetPeak()
                let warm = try model.forward(tokens: ids, options: options)
                var seconds: [Double] = []
                for _ in 0..<max(1, repeats) {
                    seconds.append(try Stopwatch.time { try model.forward(tokens: ids, options: options) }.seconds)
                }
                let passPeak = resetPeak ? ResourceUsage.peakResidentSinceResetBytes : nil
                let workload = GEMMWorkload(model: model, tokens: n)
                BLASThreads.set(threads)
                let bare = workload.timeBareGEMM(repeats: max(1, repeats))
                let row = Row(
                    threads: threads, tokens: n, forward: TimingSummary(seconds), bareGEMM: bare,
                    gemmFLOPs: workload.flops, traceBytes: warm.storage.count * MemoryLayout<Float>.size,
                    passPeakResidentBytes: passPeak)
                rows.append(row)
                progress(row)
            }
        }
        return rows
    }
}
