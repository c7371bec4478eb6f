import Analysis
import ArgumentParser
import Benchmarks
import Foundation
import Transformer

/// `glassbox bench lens`: the whole logit-lens grid of a run, its LM-head pass alone, a range of positions, and
/// optionally the serial baseline it replaced.
struct LensBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Time the logit-lens grid (every layer × position), its LM-head pass and a range of positions.")

    @OptionGroup var options: BenchOptions

    @Option(name: .long, help: "Timed runs per cell (no warm-up: each run is long).")
    var repeats: Int = 1

    @Option(name: .long, help: "Positions of the timed range (the browser fetches 64 at a time).")
    var range: Int = 64

    @Option(name: .long, help: "Memory bound of one chunk's logits, in MiB.")
    var budgetMb: Int = LogitRowPass.defaultBudgetBytes >> 20

    @Flag(name: .long, help: "Also time the serial computation it replaced and compare the two bit for bit.")
    var baseline = false

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
        guard range > 0 else { throw ValidationError("--range must be at least 1") }
        guard budgetMb > 0 else { throw ValidationError("--budget-mb must be at least 1") }
    }

    func run() throws {
        try withFailureReport {
            let decoder = try options.loadModel()
            let benchmark = LensBenchmark(
                model: decoder, tokenCounts: try options.tokenCounts, threadCounts: try options.threadCounts,
                repeats: repeats, rangeTokens: range, budgetBytes: budgetMb << 20, baseline: baseline)
            let json = options.json
            let info = decoder.info
            if !json {
                printOut(
                    "model: \(info.architecture), \(info.layers) layers, d \(info.dModel), vocab \(info.vocabSize), "
                        + "LM head \(decoder.lmHead.weight.isPacked ? "kept as stored" : "float32"); "
                        + "logit chunks up to \(budgetMb) MiB; medians in seconds")
                printOut(
                    "threads tokens   rows     grid   logits  head_GFLOP/s  range(n)  baseline  speedup  identical  peak_MB  row_us  base_row_us  grid_cpu  logits_cpu"
                )
            }
            let rows = try benchmark.run { row in
                guard !json else { return }
                let base = row.baseline.map { String(format: "%9.2f", $0.median) } ?? "      n/a"
                let speedup = row.baseline.map { String(format: "%7.2fx", $0.median / row.grid.median) } ?? "     n/a"
                let same = row.identical.map { $0 ? "yes" : "NO" } ?? "n/a"
                printOut(
                    String(
                        format: "%7d %6d %6d %8.2f %8.2f %13.1f %6.2f(%d)", row.threads, row.tokens, row.rows,
                        row.grid.median, row.logits.median, row.headFlops / row.logits.median / 1e9,
                        row.range.median, row.rangeTokens)
                        + " \(base) \(speedup)  \(same.padding(toLength: 9, withPad: " ", startingAt: 0))"
                        + String(
                            format: " %8.0f %7.0f %12.0f %9.1f %11.1f", Double(row.addedPeakBytes ?? 0) / 1e6,
                            row.rowMicroseconds, row.baselineRowMicroseconds, row.gridCPUSeconds,
                            row.logitsCPUSeconds)
                        + (row.rangeIdentical ? "" : "  (range differs from the grid!)"))
            }
            if json {
                printOut(try jsonLine(LensBenchReport(model: info, rows: rows)))
            }
        }
    }
}

/// JSON form of a lens benchmark.
struct LensBenchReport: Encodable {
    let model: ModelInfo
    let rows: [LensBenchmark.Row]
}
