import ArgumentParser
import Benchmarks
import Foundation
import Tensors
import Transformer

/// `glassbox bench`: performance measurements (never timed unit tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and memory.",
        subcommands: [
            ForwardBench.self, GraphBench.self, LensBench.self, AttributionBench.self, GenerateBench.self,
            ExplainBench.self, CompareBench.self, HTTPBench.self
        ])
}

/// `glassbox bench forward`: the traced forward pass against bare sgemm at the same shapes.
struct ForwardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Time the traced forward pass at several prompt lengths and BLAS thread counts.")

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: "Timed runs per cell (after one warm-up).")
    var repeats: Int = 5

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        try withFailureReport {
            let (loadSeconds, decoder) = try Stopwatch.time { try options.loadModel() }
            let afterLoad = ResourceUsage.currentResidentBytes ?? 0
            let benchmark = ForwardBenchmark(
                model: decoder, tokenCounts: try options.tokenCounts,
                threadCounts: try options.threadCounts, repeats: repeats)
            let json = options.json
            let info = decoder.info
            if !json {
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel), \(info.heads) heads, "
                        + "vocab \(info.vocabSize), \(info.parameters) parameters; loaded in "
                        + String(format: "%.2f s", loadSeconds) + ", RSS after load "
                        + String(format: "%.0f MB", Double(afterLoad) / 1e6) + "; weights "
                        + String(format: "%.0f MB", Double(decoder.weightBytes) / 1e6) + " ("
                        + (decoder.lmHead.weight.isPacked || decoder.tokenEmbedding.isPacked
                            ? "kept as stored" : "float32")
                        + ")")
                printOut("OpenBLAS: \(BLASThreads.configuration)")
                printOut(
                    "threads tokens   median_s      min_s   tokens/s  fwd_GFLOP/s  sgemm_GFLOP/s  gemm_eff  trace_MB  peak_MB"
                )
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                printOut(
                    String(
                        format: "%7d %6d %10.4f %10.4f %10.1f %12.2f %14.2f %8.0f%% %9.1f %8.0f",
                        row.threads, row.tokens, row.forward.median, row.forward.minimum, row.tokensPerSecond,
                        row.forwardGFLOPs, row.bareGEMMGFLOPs, row.gemmEfficiency * 100,
                        Double(row.traceBytes) / 1e6, Double(row.passPeakResidentBytes ?? 0) / 1e6))
            }
            let peak = ResourceUsage.peakResidentBytes
            if json {
                let report = BenchReport(
                    model: info, loadSeconds: loadSeconds, residentAfterLoadBytes: afterLoad,
                    peakResidentBytes: peak, rows: rows)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                printOut(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                printOut(
                    String(
                        format: "peak RSS %.0f MB (after load %.0f MB; peak_MB: during a cell's passes, without the "
                            + "bare sgemm's buffers)", Double(peak) / 1e6, Double(afterLoad) / 1e6))
            }
        }
    }
}

/// JSON form of a forward benchmark.
struct BenchReport: Encodable {
    let model: ModelInfo
    let loadSeconds: Double
    let residentAfterLoadBytes: Int
    let peakResidentBytes: Int
    let rows: [ForwardBenchmark.Row]
}
