import Analysis
import ArgumentParser
import Foundation

/// `glassbox graph`: the contribution graph of a prompt, or the paths to one prediction.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Compute the information-flow (contribution) graph of a prompt.",
        discussion: """
            Without --target, prints every edge of the thresholded graph. With --target t, prints the edges on the \
            paths to the prediction at token t (negative counts from the end); with --target all, the union of the \
            paths of every token. Nodes: X0_t (embedding), A{l}_t (after attention), M{l}_t (FFN), I{l}_t (layer \
            output); edge kinds: attention, residual, ffn, ffn-residual.
            """)

    @OptionGroup var prompt: PromptOptions

    @Option(name: .long, help: "Contribution threshold from 0 to 1.")
    var threshold: Double = GraphOptions.defaultThreshold

    @Flag(
        name: .long, inversion: .prefixedNo,
        help:
            "Renormalise after thresholding (paths keep every remaining edge); off: paths keep edges above the threshold."
    )
    var renormalize = true

    @Option(
        name: .long, parsing: .unconditional, help: "Paths to the prediction at this token (index, -1 = last) or 'all'."
    )
    var target: String?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw ValidationError("--threshold must be from 0 to 1, got \(threshold)")
        }
    }

    func run() throws {
        try withFailureReport {
            let run = try prompt.run()
            let options = try GraphOptions(threshold: threshold, renormalize: renormalize)
            let contributions = try ModelContributions.compute(
                model: run.model, trace: run.trace,
                workers: prompt.threads)
            let graph = ContributionGraph(contributions: contributions, options: options)
            let edges: [GraphEdge]
            switch target {
            case nil: edges = graph.edges
            case "all"?: edges = graph.pathUnion()
            case let text?: edges = try graph.paths(start: try run.token(text, option: "--target"))
            }
            let report = GraphReport(
                tokens: run.displayTokens, ids: run.ids, threshold: threshold,
                renormalize: renormalize, target: target, edges: edges)
            printOut(json ? try jsonLine(report) : report.text())
        }
    }
}

/// What `glassbox graph` prints.
struct GraphReport: Encodable {
    struct Edge: Encodable {
        let source: String
        let target: String
        let weight: Float
        let kind: String
    }

    let tokens: [String]
    let ids: [Int]
    let threshold: Double
    let renormalize: Bool
    let target: String?
    let edges: [Edge]

    init(tokens: [String], ids: [Int], threshold: Double, renormalize: Bool, target: String?, edges: [GraphEdge]) {
        self.tokens = tokens
        self.ids = ids
        self.threshold = threshold
        self.renormalize = renormalize
        self.target = target
        self.edges = edges.map {
            Edge(
                source: $0.source.description, target: $0.target.description,
                weight: $0.weight, kind: $0.kind.rawValue)
        }
    }

    func text() -> String {
        var lines = [
            "\(tokens.count) tokens: "
                + tokens.enumerated().map { "\($0.offset):\($0.element)" }
                .joined(separator: " "),
            "threshold \(threshold), renormalize \(renormalize ? "on" : "off"), "
                + (target.map { "paths to \($0)" } ?? "full graph") + ": \(edges.count) edges"
        ]
        for e in edges {
            lines.append(
                e.source.padding(toLength: 9, withPad: " ", startingAt: 0) + " → "
                    + e.target.padding(toLength: 9, withPad: " ", startingAt: 0) + " "
                    + e.kind.padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: "%.4f", e.weight))
        }
        return lines.joined(separator: "\n")
    }
}
