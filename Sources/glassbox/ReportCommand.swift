import ArgumentParser
import Foundation
import JSON
import Reports

/// `glassbox report`: measures a set of prompts and writes the standalone HTML report (and optionally its JSON).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Attention metrics, anomalies, layer flow, redundant heads and layers, and recommendations over a "
            + "set of prompts, as a standalone HTML report.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Prompts: a text file with one prompt per non-empty line, or a .json array of strings.")
    var prompts: String

    @Option(name: .long, help: "Where to write the HTML report.")
    var out: String

    @Option(name: .long, help: "Also write the report's JSON here.")
    var json: String?

    @Flag(name: .long, help: "Skip the head and layer ablation passes (much faster; no redundant heads).")
    var noAblation = false

    @Option(name: .long, help: "Most prompts accepted.")
    var maxPrompts = 50

    func validate() throws {
        guard maxPrompts >= 1 else { throw ValidationError("--max-prompts must be at least 1") }
    }

    /// The prompts of a file: a JSON array of strings for `.json`, else one per non-empty line.
    static func readPrompts(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the prompts file \(path)")
        }
        if path.hasSuffix(".json") {
            guard case .array(let items) = try JSONParser.parse([UInt8](data)) else {
                throw ValidationError("\(path) must hold a JSON array of prompt strings")
            }
            return try items.enumerated().map { i, item in
                guard case .string(let text) = item else {
                    throw ValidationError("\(path): item \(i + 1) is not a string")
                }
                return text
            }
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    func run() throws {
        try withFailureReport {
            let prompts = try Self.readPrompts(self.prompts)
            var options = ReportOptions()
            options.ablation = !noAblation
            options.maxPrompts = maxPrompts
            options.workers = modelOptions.threads
            let (model, tokenizer) = try modelOptions.load()
            let builder = ReportBuilder(
                modelName: modelOptions.model, model: model, tokenizer: tokenizer,
                options: options)
            try builder.validate(prompts)
            let bar = ProgressBar(total: builder.totalPasses(prompts))
            let report = try builder.build(prompts) { done, _, index in
                bar.update(done, "prompt \(index + 1)/\(prompts.count)")
            }
            bar.finish()
            try Data(ReportHTML.page(report).utf8).write(to: URL(fileURLWithPath: out))
            if let json { try ReportJSON.data(report).write(to: URL(fileURLWithPath: json)) }
            let seconds = report.prompts.reduce(0) { $0 + $1.seconds }
            printOut(
                "wrote \(out): \(prompts.count) prompts in \(String(format: "%.1f", seconds)) s "
                    + "(\(String(format: "%.2f", seconds / Double(prompts.count))) s per prompt), "
                    + "\(report.recommendations.count) recommendations")
        }
    }
}

/// A one-line progress bar on standard error (redrawn in place on a terminal, a line per 10% otherwise).
final class ProgressBar {
    let total: Int
    private let terminal = isatty(STDERR_FILENO) == 1
    private var lastTenth = -1

    init(total: Int) { self.total = max(1, total) }

    func update(_ done: Int, _ label: String) {
        let fraction = Double(done) / Double(total)
        let width = 30, filled = Int(fraction * Double(width))
        let line =
            "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done)/\(total) passes, \(label)"
        if terminal {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if Int(fraction * 10) > lastTenth {
            lastTenth = Int(fraction * 10)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() { if terminal { FileHandle.standardError.write(Data("\n".utf8)) } }
}
