import Analysis
import ArgumentParser
import Benchmarks
import Foundation
import Transformer

/// `glassbox bench explain`: the whole explainer evaluation (all methods, curves, random orders, stability).
struct ExplainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Time the full explainer evaluation (every method, curves, random orders, noise and a variant).")

    @OptionGroup var options: BenchOptions

    @Option(
        name: .long,
        help: "Curve passes: split (each worker its own batches) or shared (workers inside each batch), or both.")
    var scheduling = "split"

    @Option(name: .customLong("batch-rows"), help: "Rows of one batched pass at most, comma-separated to compare.")
    var batchRows = "512"

    @Option(name: .long, help: "Integrated-gradient steps m.")
    var steps = 32

    @Option(name: .customLong("noise-samples"), help: "Noisy copies for stability.")
    var noiseSamples = 3

    var schedulings: [PassScheduling] {
        get throws {
            let modes = try scheduling.split(separator: ",").map { text in
                guard let mode = PassScheduling.Mode(rawValue: String(text)) else {
                    throw ValidationError("--scheduling must be split or shared, got \"\(text)\"")
                }
                return mode
            }
            let rows = try BenchOptions.parseList(batchRows, option: "--batch-rows")
            return modes.flatMap { mode in rows.map { PassScheduling(mode: mode, batchRows: $0) } }
        }
    }

    func validate() throws {
        _ = try schedulings
        guard AttributionParameters.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and 1024, got \(steps)")
        }
        guard (0...64).contains(noiseSamples) else { throw ValidationError("--noise-samples must be 0 to 64") }
    }

    func run() throws {
        try withFailureReport {
            let decoder = try options.loadModel()
            let parameters = EvaluationParameters(steps: steps, noiseSamples: noiseSamples)
            let benchmark = ExplainBenchmark(
                model: decoder, tokenCounts: try options.tokenCounts, threadCounts: try options.threadCounts,
                parameters: parameters, schedulings: try schedulings)
            let json = options.json, info = decoder.info
            if !json {
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel); all \(parameters.methods.count) "
                        + "methods, IG m = \(steps), \(parameters.randomSeeds.count) random orders, "
                        + "\(noiseSamples) noisy copies and a variant; seconds")
                printOut(
                    "threads tokens scheduling rows  forward  evaluation   scores   curves    noise  variant  passes")
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                let s = row.stageSeconds
                printOut(
                    String(
                        format: "%7d %6d %10@ %4d %8.3f %11.2f %8.2f %8.2f %8.2f %8.2f %7d", row.threads, row.tokens,
                        row.scheduling, row.batchRows, row.forwardSeconds, row.evaluationSeconds, s["scores"] ?? 0,
                        s["curves"] ?? 0, s["noise"] ?? 0, s["variant"] ?? 0, row.passes))
            }
            if json {
                printOut(try jsonLine(rows))
            } else {
                printOut(String(format: "peak RSS %.0f MB", Double(ResourceUsage.peakResidentBytes) / 1e6))
                if let last = rows.last { printOut("verdict (last cell): \(last.verdict)") }
            }
        }
    }
}
