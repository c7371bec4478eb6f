import ArgumentParser
import Foundation
import Reports
import Tokenizers
import Transformer

/// `glassbox check`: thresholds on measured figures for CI. Exit 0 when no rule fires, 1 when one does, 2 on a usage
/// error (arguments, rules, prompts, a model that cannot be found or loaded) or when the check cannot run.
struct CheckCommand: ParsableCommand, UsageExitStatus {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a model against threshold rules over a set of prompts, for CI (exit 0: no rule fired, "
            + "1: a rule fired, 2: usage error).",
        discussion: """
            PROMPTS FILE
            \(CheckPrompt.formatHelp)

            RULES FILE (JSON)
            {"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "expected_probability", "min": 0.05}, \
            {"metric": "kl_to_baseline", "max": 0.5, "baseline": "MODEL_OR_PATH"}]}
            Each rule: "metric", exactly one of "max" (fires when the value is above it) or "min" (fires when it is \
            below it), optionally "name" (unique; default "METRIC <= MAX") and "description"; "baseline" (a model \
            name from the configuration or a path) for kl_to_baseline only. A value that is not a number fires the \
            rule. Rules of expected_* metrics skip prompts without an expected continuation.

            METRICS (one number per prompt)
            \(CheckMetric.allCases.map { "\($0.rawValue): \($0.definition)." }.joined(separator: "\n"))

            OUTPUT
            A table on standard output (one line per rule × prompt), or with --json one JSON document; --junit \
            writes JUnit XML with one test case per rule × prompt.

            EXIT CODES
            0 no rule fired, 1 at least one rule fired, 2 usage error or the check could not run.
            """)

    static let usageExitCode: Int32 = 2

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The prompts file (see PROMPTS FILE below).")
    var prompts: String

    @Option(name: .long, help: "The rules file (see RULES FILE below).")
    var rules: String

    @Option(name: .long, help: "Also write the results as JUnit XML here.")
    var junit: String?

    @Flag(name: .long, help: "Print the results as JSON instead of the table.")
    var json = false

    func run() throws {
        let result = try usage { () throws -> CheckResult in
            let rules = try CheckRules(parsing: try Self.bytes(of: self.rules, "rules"), source: self.rules)
            let prompts = try CheckPrompt.parse(
                String(decoding: try Self.bytes(of: self.prompts, "prompts"), as: UTF8.self), source: self.prompts)
            try rules.check(against: prompts, source: self.rules)
            let (model, tokenizer) = try modelOptions.load()
            let baselines = try rules.baselines.map { name in
                let (url, format) = try ModelResolution.resolve(name, config: modelOptions.config, weights: nil)
                return CheckBaseline(
                    name: name, model: try ModelLoader.load(url, weights: format),
                    tokenizer: try TokenizerLoader.load(url))
            }
            let measurer = try CheckMeasurer(
                model: model, tokenizer: tokenizer, metrics: rules.metrics, baselines: baselines,
                workers: modelOptions.threads)
            let measurements = try prompts.map { prompt in
                do { return try measurer.measure(prompt) } catch let error as CheckError {
                    throw CheckError("\(self.prompts): \(error)")
                }
            }
            return CheckResult(model: modelOptions.model, rules: rules, measurements: measurements)
        }
        if json {
            FileHandle.standardOutput.write(CheckJSON.data(result) + Data("\n".utf8))
        } else {
            printOut(CheckTable.text(result))
        }
        if let junit {
            try usage { try Data(JUnitReport.xml(result).utf8).write(to: URL(fileURLWithPath: junit)) }
        }
        if result.fired { throw ExitCode.failure }
    }

    /// Runs `body`; any error is one line on standard error and the exit code 2.
    private func usage<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Self.usageExitCode)
        }
    }

    /// The contents of a file named by an option.
    private static func bytes(of path: String, _ option: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the \(option) file \(path) (--\(option))")
        }
        return [UInt8](data)
    }
}
