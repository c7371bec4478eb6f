import Analysis
import ArgumentParser
import Foundation

/// `glassbox lens`: the logit lens along the residual stream of one token.
struct LensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Show what the model would predict from each residual-stream vector of a token (logit lens).",
        discussion: """
            Without --layer, prints every representation of the token in order: the embedding (pre of layer 0), \
            then after attention (mid) and after the FFN (post) of each layer. Each entry shows the rank change \
            against the representation before it (↑ moved up, ↓ moved down).
            """)

    @OptionGroup var prompt: PromptOptions

    @Option(name: .long, parsing: .unconditional, help: "Token position (index, -1 = last).")
    var token: String = "-1"

    @Option(name: .long, help: "Only this layer.")
    var layer: Int?

    @Option(name: .long, help: "With --layer: pre, mid or post.")
    var point: String = "post"

    @Option(name: .customShort("k"), help: "Top tokens per representation.")
    var k: Int = 5

    @Flag(name: .long, inversion: .prefixedNo, help: "Apply the final norm before unembedding.")
    var normalize = true

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard k > 0 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard ResidualPoint(rawValue: point) != nil else {
            throw ValidationError("--point must be pre, mid or post, got \"\(point)\"")
        }
    }

    func run() throws {
        try withFailureReport {
            let run = try prompt.run()
            let t = try run.token(token, option: "--token")
            let representations: [Representation]
            if let layer {
                guard (0..<run.model.info.layers).contains(layer) else {
                    throw ValidationError(
                        "--layer \(layer) is outside the model's layers 0 to \(run.model.info.layers - 1)")
                }
                representations = [Representation(layer: layer, point: ResidualPoint(rawValue: point)!, token: t)]
            } else {
                representations =
                    [Representation(layer: 0, point: .pre, token: t)]
                    + (0..<run.model.info.layers).flatMap { l in
                        [
                            Representation(layer: l, point: .mid, token: t),
                            Representation(layer: l, point: .post, token: t)
                        ]
                    }
            }
            let rows = try representations.map { r in
                LensReport.Row(
                    representation: r,
                    entries: try LogitLens.top(
                        model: run.model, trace: run.trace, representation: r, k: k, normalize: normalize),
                    tokenizer: run)
            }
            let report = LensReport(tokens: run.displayTokens, token: t, normalize: normalize, rows: rows)
            printOut(json ? try jsonLine(report) : report.text())
        }
    }
}

/// What `glassbox lens` prints.
struct LensReport: Encodable {
    struct Entry: Encodable {
        let id: Int
        let text: String
        let logit: Float
        let rank: Int
        let previousRank: Int?

        enum CodingKeys: String, CodingKey {
            case id, text, logit, rank
            case previousRank = "previous_rank"
        }
    }

    struct Row: Encodable {
        let layer: Int
        let point: String
        let node: String
        let top: [Entry]

        init(representation r: Representation, entries: [LogitLens.Entry], tokenizer run: TracedPrompt) {
            layer = r.layer
            point = r.point.rawValue
            switch r.point {
            case .pre: node = GraphNode.input(layer: r.layer, token: r.token).description
            case .mid: node = GraphNode(.afterAttention, layer: r.layer, token: r.token).description
            case .post: node = GraphNode(.afterFFN, layer: r.layer, token: r.token).description
            }
            top = entries.map {
                Entry(
                    id: $0.id, text: run.tokenizer.displayString(for: $0.id), logit: $0.logit,
                    rank: $0.rank, previousRank: $0.previousRank)
            }
        }
    }

    let tokens: [String]
    let token: Int
    let normalize: Bool
    let rows: [Row]

    func text() -> String {
        var lines = ["logit lens of token \(token) (\(tokens[token])), final norm \(normalize ? "on" : "off")"]
        for row in rows {
            let cells = row.top.map { e -> String in
                let change =
                    e.previousRank.map { $0 - e.rank }.map { $0 > 0 ? " ↑\($0)" : $0 < 0 ? " ↓\(-$0)" : "" } ?? ""
                return e.text + String(format: " %.2f", e.logit) + change
            }
            lines.append(
                "\(row.point)(\(row.layer))".padding(toLength: 10, withPad: " ", startingAt: 0)
                    + row.node.padding(toLength: 8, withPad: " ", startingAt: 0) + cells.joined(separator: " | "))
        }
        return lines.joined(separator: "\n")
    }
}
