import Analysis
import ArgumentParser
import Foundation
import JSON
import ModelCatalog
import ModelFormats
import Reports
import Tensors
import Tokenizers
import Transformer

/// `glassbox checkpoints`: follows a training run over its checkpoints on a prompt set and writes the trends as a
/// standalone HTML page and/or JSON.
struct CheckpointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "Loss, head metrics and classes, sink share, lens settling, anomalies and redundant heads over a "
            + "series of checkpoints of one architecture (in training order), with their trends.")

    static let checkpointHelp = ArgumentHelp(
        "A checkpoint: a model name from the configuration, a Hugging Face model directory or a GGUF file. Give it "
            + "at least twice, in training order.")

    @Option(name: .long, help: checkpointHelp)
    var checkpoint: [String] = []

    @Option(
        name: .long,
        help: "A checkpoint series named in the configuration (\"checkpoint_series\"), instead of --checkpoint.")
    var series: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Prompts: a text file with one prompt per non-empty line, or a .json array of strings (default with "
                + "--series: the series' prompts)."))
    var prompts: String?

    @Option(name: .long, help: "Where to write the JSON.")
    var json: String?

    @Option(name: .long, help: "Where to write the standalone HTML page.")
    var html: String?

    @Option(name: .long, help: "Configuration file (default: GLASSBOX_CONFIG or config/glassbox.json).")
    var config: String?

    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: WeightFormat.optionHelp)
    var weights: WeightFormat?

    @Flag(name: .long, help: "Skip the head ablation passes (much faster; no redundant heads).")
    var noAblation = false

    @Option(name: .long, help: "Most prompts accepted.")
    var maxPrompts = 50

    func validate() throws {
        if series != nil {
            guard checkpoint.isEmpty else { throw ValidationError("give --series or --checkpoint, not both") }
            return try validateThreads()
        }
        guard prompts != nil else { throw ValidationError("give --prompts FILE (or --series with default prompts)") }
        guard checkpoint.count >= 2 else {
            throw ValidationError(
                "give --checkpoint at least twice, in training order (got \(checkpoint.count))")
        }
        try validateThreads()
    }

    private func validateThreads() throws {
        guard (1...WorkerPool.maximumWorkers).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(WorkerPool.maximumWorkers), got \(threads)")
        }
        guard maxPrompts >= 1 else { throw ValidationError("--max-prompts must be at least 1") }
    }

    /// How each checkpoint is named in the report: a path by its last component, a model name as it is; the
    /// arguments as given when that would name two checkpoints alike.
    static func names(_ arguments: [String]) -> [String] {
        let short = arguments.map { argument -> String in
            let trimmed = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            return trimmed.contains("/") ? URL(fileURLWithPath: trimmed).lastPathComponent : trimmed
        }
        return Set(short).count == short.count ? short : arguments
    }

    /// Fails at once for an argument that is neither a path nor a configured model, before any checkpoint is loaded.
    func checkExists(_ argument: String) throws {
        if FileManager.default.fileExists(atPath: argument) { return }
        let catalog = try ModelResolution.catalog(config: config)
        guard catalog.entry(argument) != nil else {
            throw ValidationError(
                "checkpoint \"\(argument)\" is no model directory or GGUF file, and no model of that name is in the "
                    + "configuration (known: \(catalog.entries.map(\.name).joined(separator: ", ")))")
        }
    }

    func run() throws {
        try withFailureReport {
            let (sources, prompts) = try series.map(seriesSources) ?? argumentSources()
            var options = CheckpointSeriesOptions()
            options.parameters.ablation = !noAblation
            options.parameters.workers = threads
            options.maxPrompts = maxPrompts
            let builder = CheckpointSeriesBuilder(options: options)
            try builder.validate(checkpoints: sources.count, prompts: prompts)
            var bar: ProgressBar?
            let report = try builder.build(
                sources, prompts: prompts,
                progress: { p in
                    if bar == nil { bar = ProgressBar(total: p.total) }
                    bar?.update(
                        p.done,
                        "checkpoint \(p.checkpoint + 1)/\(sources.count) \(p.checkpointName), "
                            + "prompt \(p.prompt + 1)/\(prompts.count)")
                })
            bar?.finish()
            if let html { try Data(CheckpointSeriesHTML.page(report).utf8).write(to: URL(fileURLWithPath: html)) }
            if let json { try CheckpointSeriesJSON.data(report).write(to: URL(fileURLWithPath: json)) }
            printOut(Self.summary(report, written: [html, json].compactMap { $0 }))
        }
    }

    /// The checkpoints given with `--checkpoint` (each checked to exist before any is loaded) and `--prompts`.
    func argumentSources() throws -> ([CheckpointSource], [String]) {
        let prompts = try ReportCommand.readPrompts(self.prompts ?? "")
        for argument in checkpoint { try checkExists(argument) }
        let (config, weights) = (self.config, self.weights)
        let sources = zip(checkpoint, Self.names(checkpoint)).map { argument, name in
            CheckpointSource(name: name) {
                let (url, format) = try ModelResolution.resolve(argument, config: config, weights: weights)
                return (try ModelLoader.load(url, weights: format), try TokenizerLoader.load(url))
            }
        }
        return (sources, prompts)
    }

    /// The checkpoints of the configured series `name`, and `--prompts` or else the series' prompts.
    func seriesSources(_ name: String) throws -> ([CheckpointSource], [String]) {
        let catalog = try ModelResolution.catalog(config: config)
        guard let entry = catalog.series(name) else {
            let known = catalog.checkpointSeries.map(\.name)
            throw ValidationError(
                "no checkpoint series named \"\(name)\" in the configuration ("
                    + (known.isEmpty ? "it names none" : "known: " + known.joined(separator: ", ")) + ")")
        }
        let prompts = try self.prompts.map(ReportCommand.readPrompts) ?? entry.prompts
        guard !prompts.isEmpty else {
            throw ValidationError("the series \"\(name)\" has no default prompts: give --prompts FILE")
        }
        let (config, weights) = (self.config, self.weights)
        let sources = entry.checkpoints.map { checkpoint in
            CheckpointSource(name: checkpoint.name) {
                let (url, format): (URL, WeightFormat)
                switch checkpoint {
                case .model(let model):
                    (url, format) = try ModelResolution.resolve(model, config: config, weights: weights)
                case .path(_, let path): (url, format) = (URL(fileURLWithPath: path), weights ?? .standard)
                }
                return (try ModelLoader.load(url, weights: format), try TokenizerLoader.load(url))
            }
        }
        return (sources, prompts)
    }

    /// What the command prints: what it wrote, the trends that move one way and the class changes.
    static func summary(_ report: CheckpointSeriesReport, written: [String]) -> String {
        let series = report.series
        var lines = [
            (written.isEmpty ? "measured" : "wrote \(written.joined(separator: " and ")):") + " "
                + "\(series.checkpoints.count) checkpoints × \(report.prompts.count) prompts in "
                + "\(String(format: "%.1f", report.seconds)) s"
        ]
        for t in series.trends {
            let values = t.values.map { $0.isFinite ? String(format: "%.4g", $0) : "–" }.joined(separator: " → ")
            lines.append("  \(t.name): \(values) (\(t.direction.rawValue))")
        }
        lines.append(series.classChanges.isEmpty ? "class changes: none" : "class changes:")
        lines += series.classChanges.map { "  \($0.description)" }
        return lines.joined(separator: "\n")
    }
}
