/// A node of the contribution graph, named as LLM-TT names it: `X0_t` (token embedding), `A{l}_t` (residual after
/// layer l's attention), `M{l}_t` (layer l's FFN block), `I{l}_t` (residual after layer l).
public struct GraphNode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// What the node stands for.
    public enum Kind: Int, Sendable, Hashable, Comparable, CaseIterable {
        case embedding, afterAttention, ffn, afterFFN

        var letter: Character {
            switch self {
            case .embedding: return "X"
            case .afterAttention: return "A"
            case .ffn: return "M"
            case .afterFFN: return "I"
            }
        }

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public let kind: Kind
    /// The layer (0 for embeddings).
    public let layer: Int
    public let token: Int

    public init(_ kind: Kind, layer: Int, token: Int) {
        self.kind = kind
        self.layer = kind == .embedding ? 0 : layer
        self.token = token
    }

    /// The residual that enters layer `l` at token `t`: `X0_t` for layer 0, else `I{l−1}_t`.
    public static func input(layer l: Int, token t: Int) -> GraphNode {
        l == 0 ? GraphNode(.embedding, layer: 0, token: t) : GraphNode(.afterFFN, layer: l - 1, token: t)
    }

    /// `X0_5`, `A3_7`, ...
    public var description: String { "\(kind.letter)\(layer)_\(token)" }

    /// Position in a topological order of the graph (every edge goes from a lower to a higher index) for `n` tokens.
    func index(tokens n: Int) -> Int {
        kind == .embedding ? token : n + (3 * layer + kind.rawValue - 1) * n + token
    }

    /// Nodes of a graph with `layers` layers and `n` tokens.
    static func count(layers: Int, tokens n: Int) -> Int { n + 3 * layers * n }

    /// Parses `X0_5`, `A3_7`, `M3_7`, `I3_7`; nil for anything else.
    public init?(name: String) {
        guard let letter = name.first, let underscore = name.firstIndex(of: "_"),
            let layer = Int(name[name.index(after: name.startIndex)..<underscore]),
            let token = Int(name[name.index(after: underscore)...]), layer >= 0, token >= 0,
            let kind = Kind.allCases.first(where: { $0.letter == letter }),
            kind != .embedding || layer == 0
        else { return nil }
        self.init(kind, layer: layer, token: token)
    }

    public static func < (a: GraphNode, b: GraphNode) -> Bool {
        (a.layer, a.kind, a.token) < (b.layer, b.kind, b.token)
    }
}
