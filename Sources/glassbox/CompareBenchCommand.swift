import ArgumentParser
import Benchmarks
import Foundation
import Reports
import Tensors

/// `glassbox bench compare`: two models on one text (`glassbox compare`'s work) at prompt lengths and thread counts,
/// the models loaded and their vocabulary strings made once beforehand (as the server keeps them).
struct CompareBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Time a two-model comparison (both forward passes, metrics, lens, anomalies, shared-vocabulary KL).",
        discussion: """
            The text is the start of a fixed English passage cut to --tokens tokens of the first model (the second \
            model tokenises the same text itself). Each cell is the median of --repeats runs.
            """)

    @OptionGroup var options: BenchOptions

    @Option(name: .customLong("with"), help: "The second model: a name from the configuration, a directory or a GGUF.")
    var other: String

    @Option(name: .long, help: "Runs per cell (the median is shown).")
    var repeats = 3

    struct Row: Codable {
        let threads: Int
        let tokens: [Int]
        let seconds: Double
        let forwardSeconds: [Double]
        let analysisSeconds: [Double]
    }

    /// A passage long enough for 2048 tokens of any tokenizer, repeated as needed.
    static let passage =
        "The history of the printing press begins in the fifteenth century, when Johannes Gutenberg combined "
        + "movable metal type with an oil-based ink and a wooden screw press adapted from those used for wine. "
        + "Within fifty years printing shops had spread to more than two hundred cities across Europe, and the "
        + "price of books fell so far that students, merchants and craftsmen could own them. Scholars argue about "
        + "how quickly ideas travelled as a result, but letters, pamphlets and maps of the period show that news "
        + "of discoveries, disputes and inventions reached distant readers within weeks rather than years. "

    func run() throws {
        try withFailureReport {
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
            let load = { (name: String) throws -> TwoModelComparison.Input in
                var o = ModelOptions()
                o.model = name
                o.config = options.config
                o.weights = options.weights
                let (model, tokenizer) = try o.load()
                return TwoModelComparison.Input(name: name, model: model, tokenizer: tokenizer)
            }
            let a = try load(options.model), b = try load(other)
            if !options.json {
                printOut(
                    "\(a.name) (\(a.model.info.layers) layers) with \(b.name) (\(b.model.info.layers) layers); seconds")
                printOut("threads  tokens a/b   compare  forward a/b      analysis a/b")
            }
            var rows: [Row] = []
            for threads in try options.threadCounts {
                BLASThreads.set(1)
                for n in try options.tokenCounts {
                    let text = try Self.text(tokens: n, tokenizer: a)
                    var runs: [(Double, TwoModelComparison)] = []
                    for _ in 0..<repeats {
                        let (seconds, c) = try Stopwatch.time {
                            try TwoModelComparison.compare(text: text, a: a, b: b, maxTokens: 4096, workers: threads)
                        }
                        runs.append((seconds, c))
                    }
                    let (seconds, c) = runs.sorted { $0.0 < $1.0 }[runs.count / 2]
                    let row = Row(
                        threads: threads, tokens: c.sides.map(\.tokens.count), seconds: seconds,
                        forwardSeconds: c.sides.map { $0.forwardMilliseconds / 1000 },
                        analysisSeconds: c.sides.map { $0.analysisMilliseconds / 1000 })
                    rows.append(row)
                    if !options.json {
                        printOut(
                            String(
                                format: "%7d  %5d/%-5d %7.3f  %6.3f/%-6.3f   %6.3f/%-6.3f", threads, row.tokens[0],
                                row.tokens[1], seconds, row.forwardSeconds[0], row.forwardSeconds[1],
                                row.analysisSeconds[0], row.analysisSeconds[1]))
                    }
                }
            }
            if options.json {
                printOut(try jsonLine(rows))
            } else {
                printOut(String(format: "peak RSS %.0f MB", Double(ResourceUsage.peakResidentBytes) / 1e6))
            }
        }
    }

    /// The passage's first `tokens` tokens of `input`'s tokenizer, decoded (BOS included in the count).
    static func text(tokens n: Int, tokenizer input: TwoModelComparison.Input) throws -> String {
        var source = passage
        while try input.tokenizer.encode(source).count < n + 8 { source += passage }
        let ids = try input.tokenizer.encode(source)
        let bos = ids.first == input.tokenizer.bosTokenID ? 1 : 0
        return input.tokenizer.decode(Array(ids[bos..<n]))
    }
}
