/// The information-flow graph of one run (`docs/contributions.md` §1.7 with Glassbox's choices of §4): nodes `X0_t`,
/// `A{l}_t`, `M{l}_t`, `I{l}_t` and weighted edges of four kinds, built from thresholded contributions. Only edges
/// with a weight above 0 are kept; masked keys are never edges.
public struct ContributionGraph: Sendable {
    public let layers: Int
    public let tokens: Int
    public let options: GraphOptions
    /// The contributions the edges come from, thresholded and renormalised as `options` say: the per-head breakdown
    /// of each attention edge.
    public let contributions: ModelContributions
    /// Every edge, ordered by target node (layer, kind, token), then source token, then kind.
    public let edges: [GraphEdge]

    /// Builds the graph from raw (unthresholded) contributions.
    public init(contributions raw: ModelContributions, options: GraphOptions) {
        let cut = raw.thresholded(options.renormalizingThreshold)
        let n = raw.tokens
        var edges: [GraphEdge] = []
        edges.reserveCapacity(
            cut.attention.reduce(0) { total, layer in
                total + (0..<n).reduce(0) { $0 + layer.sources(of: $1).count } + 4 * n
            })
        for l in 0..<raw.layers {
            let attention = cut.attention[l], ffn = cut.ffn[l]
            for q in 0..<n {
                let target = GraphNode(.afterAttention, layer: l, token: q)
                for k in attention.sources(of: q) {
                    let weight = Float(attention.tokenWeight(target: q, source: k))
                    if weight > 0 {
                        edges.append(
                            GraphEdge(
                                source: .input(layer: l, token: k), target: target, kind: .attention,
                                weight: weight))
                    }
                }
                if attention.residual[q] > 0 {
                    edges.append(
                        GraphEdge(
                            source: .input(layer: l, token: q), target: target, kind: .residual,
                            weight: attention.residual[q]))
                }
            }
            for q in 0..<n where ffn.ffn[q] > 0 {
                edges.append(
                    GraphEdge(
                        source: GraphNode(.afterAttention, layer: l, token: q),
                        target: GraphNode(.ffn, layer: l, token: q), kind: .ffn, weight: ffn.ffn[q]))
            }
            for q in 0..<n {
                let after = GraphNode(.afterAttention, layer: l, token: q),
                    out = GraphNode(.afterFFN, layer: l, token: q)
                if ffn.ffn[q] > 0 {
                    edges.append(
                        GraphEdge(
                            source: GraphNode(.ffn, layer: l, token: q), target: out, kind: .ffn,
                            weight: ffn.ffn[q]))
                }
                if ffn.residual[q] > 0 {
                    edges.append(GraphEdge(source: after, target: out, kind: .ffnResidual, weight: ffn.residual[q]))
                }
            }
        }
        self.layers = raw.layers
        self.tokens = n
        self.options = options
        self.contributions = cut
        self.edges = edges
    }

    /// The (thresholded) weight of each head in the attention edge from source token `k` into target `q` at `layer`.
    public func headWeights(layer l: Int, target q: Int, source k: Int) throws -> [Float] {
        try AnalysisError.check(l, below: layers, "layer")
        try AnalysisError.check(q, below: tokens, "token")
        try AnalysisError.check(k, below: tokens, "token")
        return Array(contributions.attention[l].headWeights(target: q, source: k))
    }

    /// The output node whose prediction paths lead to: `I{L−1}_s`.
    public func output(_ s: Int) -> GraphNode { GraphNode(.afterFFN, layer: layers - 1, token: s) }
}
