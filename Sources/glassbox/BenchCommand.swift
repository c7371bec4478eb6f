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
        subcommands: [ForwardBench.self, GraphBench.self, HTTPBench.self])
}

/// `glassbox bench forward`: the traced forward pass against bare sgemm at the same shapes.
struct ForwardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Time the traced forward pass at several prompt lengths and BLAS thread counts.")

    @Option(name: .long, help: "Model name from the configuration, a Hugging Face model directory, or a GGUF file.")
    var model: String

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "Comma-separated prompt lengths in tokens.")
    var tokens: String = "32,128,512"

    @Option(name: .long, help: "Comma-separated BLAS thread counts.")
    var threads: String = "1,2"

    @Option(name: .long, help: "Timed runs per cell (after one warm-up).")
    var repeats: Int = 5

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    static func parseList(_ text: String, option: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(option) must be a comma-separated list of positive integers, got \"\(text)\"")
        }
        return values.compactMap { $0 }
    }

    func validate() throws {
        _ = try Self.parseList(tokens, option: "--tokens")
        if let bad = try Self.parseList(threads, option: "--threads").first(where: { $0 > WorkerPool.maximumWorkers }) {
            throw ValidationError("--threads \(bad) is more than \(WorkerPool.maximumWorkers)")
        }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        try withFailureReport {
            let (loadSeconds, decoder) = try Stopwatch.time {
                try ModelLoader.load(ModelResolution.resolve(model, config: config))
            }
            let afterLoad = ResourceUsage.currentResidentBytes ?? 0
            let counts = try Self.parseList(tokens, option: "--tokens")
            if let tooLong = counts.first(where: { $0 > decoder.info.contextLength }) {
                throw ValidationError("--tokens \(tooLong) exceeds the model's context of \(decoder.info.contextLength)")
            }
            let benchmark = ForwardBenchmark(model: decoder, tokenCounts: counts,
                                             threadCounts: try Self.parseList(threads, option: "--threads"),
                                             repeats: repeats)
            let info = decoder.info
            if !json {
                printOut("model: \(info.architecture), \(info.layers) layers, d \(info.dModel), \(info.heads) heads, "
                         + "vocab \(info.vocabSize), \(info.parameters) parameters; loaded in "
                         + String(format: "%.2f s", loadSeconds) + ", RSS after load "
                         + String(format: "%.0f MB", Double(afterLoad) / 1e6))
                printOut("OpenBLAS: \(BLASThreads.configuration)")
                printOut("threads tokens   median_s      min_s   tokens/s  fwd_GFLOP/s  sgemm_GFLOP/s  gemm_eff  trace_MB")
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                printOut(String(format: "%7d %6d %10.4f %10.4f %10.1f %12.2f %14.2f %8.0f%% %9.1f",
                                row.threads, row.tokens, row.forward.median, row.forward.minimum, row.tokensPerSecond,
                                row.forwardGFLOPs, row.bareGEMMGFLOPs, row.gemmEfficiency * 100,
                                Double(row.traceBytes) / 1e6))
            }
            let peak = ResourceUsage.peakResidentBytes
            if json {
                let report = BenchReport(model: info, loadSeconds: loadSeconds, residentAfterLoadBytes: afterLoad,
                                         peakResidentBytes: peak, rows: rows)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                printOut(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                printOut(String(format: "peak RSS %.0f MB (after load %.0f MB)", Double(peak) / 1e6,
                                Double(afterLoad) / 1e6))
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
