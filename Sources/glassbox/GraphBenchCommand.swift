import Analysis
import ArgumentParser
import Benchmarks
import Foundation
import Transformer

/// `glassbox bench graph`: the full contribution analysis (every layer, every target, paths of every start token).
struct GraphBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Time the contribution graph and the paths of every start token at several prompt lengths.")

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: "Timed runs per cell (after one warm-up).")
    var repeats: Int = 3

    @Option(name: .long, help: "Contribution threshold from 0 to 1.")
    var threshold: Double = GraphOptions.defaultThreshold

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw ValidationError("--threshold must be from 0 to 1, got \(threshold)")
        }
    }

    func run() throws {
        try withFailureReport {
            let decoder = try options.loadModel()
            let benchmark = GraphBenchmark(
                model: decoder, tokenCounts: try options.tokenCounts,
                threadCounts: try options.threadCounts, repeats: repeats,
                options: try GraphOptions(threshold: threshold))
            let json = options.json
            let info = decoder.info
            if !json {
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel), \(info.heads) heads "
                        + "(\(info.kvHeads) KV); threshold \(threshold), renormalised; medians in seconds")
                printOut(
                    "threads tokens  forward  contrib    graph    paths    total    edges  path_edges  trace_MB  added_peak_MB"
                )
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                let added = row.addedPeakBytes.map { String(format: "%.1f", Double($0) / 1e6) } ?? "n/a"
                printOut(
                    String(
                        format: "%7d %6d %8.4f %8.4f %8.4f %8.4f %8.4f %8d %11d %9.1f ",
                        row.threads, row.tokens, row.forwardSeconds, row.contributions.median, row.graph.median,
                        row.paths.median, row.total.median, row.edges, row.pathEdges,
                        Double(row.traceBytes) / 1e6)
                        + String(repeating: " ", count: max(0, 14 - added.count)) + added)
            }
            if json {
                printOut(
                    try jsonLine(
                        GraphBenchReport(
                            model: info, peakResidentBytes: ResourceUsage.peakResidentBytes,
                            rows: rows)))
            } else {
                printOut(String(format: "peak RSS %.0f MB", Double(ResourceUsage.peakResidentBytes) / 1e6))
            }
        }
    }
}

/// JSON form of a graph benchmark.
struct GraphBenchReport: Encodable {
    let model: ModelInfo
    let peakResidentBytes: Int
    let rows: [GraphBenchmark.Row]
}
