import Analysis
import ArgumentParser
import Benchmarks
import Foundation
import Transformer

/// `glassbox bench attribute`: saliency and integrated gradients against the traced forward pass.
struct AttributionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Time saliency and integrated gradients (and the traced forward) at several prompt lengths.")

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: "Timed runs per cell (after one warm-up).")
    var repeats: Int = 3

    @Option(name: .long, help: "Integrated-gradient steps m.")
    var steps: Int = 32

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
        guard AttributionParameters.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and 1024, got \(steps)")
        }
    }

    func run() throws {
        try withFailureReport {
            let decoder = try options.loadModel()
            let benchmark = AttributionBenchmark(
                model: decoder, tokenCounts: try options.tokenCounts, threadCounts: try options.threadCounts,
                repeats: repeats, steps: steps)
            let json = options.json
            let info = decoder.info
            if !json {
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel), \(info.parameters) "
                        + "parameters; target: top-1 logit at the last position; IG m = \(steps), zero baseline; "
                        + "medians in seconds")
                printOut(
                    "threads tokens  forward  saliency  ig_total  ig_per_step  saliency/fwd  trace_MB  backward_MB  "
                        + "ig_rel_gap")
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                printOut(
                    String(
                        format: "%7d %6d %8.4f %9.4f %9.3f %12.4f %13.2f %9.1f %12.1f %11.2e",
                        row.threads, row.tokens, row.forward.median, row.saliency.median,
                        row.integratedGradients.median, row.integratedGradients.median / Double(row.steps + 2),
                        row.saliencyOverForward, Double(row.traceBytes) / 1e6, Double(row.backwardBytes) / 1e6,
                        row.relativeCompletenessGap))
            }
            if json {
                printOut(
                    try jsonLine(
                        AttributionBenchReport(
                            model: info, peakResidentBytes: ResourceUsage.peakResidentBytes, rows: rows)))
            } else {
                printOut(String(format: "peak RSS %.0f MB", Double(ResourceUsage.peakResidentBytes) / 1e6))
            }
        }
    }
}

/// JSON form of an attribution benchmark.
struct AttributionBenchReport: Encodable {
    let model: ModelInfo
    let peakResidentBytes: Int
    let rows: [AttributionBenchmark.Row]
}
