/// The information-flow graph of one run (`docs/contributions.md` §1.7 with Glassbox's choices of §4): nodes `X0_t`,
/// `A{l}_t`, `M{l}_t`, `I{l}_t` and weighted edges of four kinds, built from thresholded contributions. Only edges
/// with a weight above 0 are kept; masked keys are never edges.
public struct ContributionGraph: Sendable {
    public let layers: Int
    public let tokens: Int
    public let options: GraphOptions
    /// Query heads per attention edge.
    public let heads: Int
    /// Every edge, ordered by target node (layer, kind, token), then source token, then kind.
    public let edges: [GraphEdge]
    /// The kept (thresholded, renormalised) contributions, sparse: for the attention edges into target `q` of layer
    /// `l`, in source order, entries `attentionRows[l·n + q] ..< attentionRows[l·n + q + 1]` of `attentionSources`
    /// (the source token) and, `H` per edge, of `attentionHeads` (the per-head breakdown of the edge).
    private let attentionRows: [Int]
    private let attentionSources: [Int32]
    private let attentionHeads: [Float]

    /// Builds the graph from raw (unthresholded) contributions, thresholding one layer at a time so that only the
    /// kept edges are held.
    public init(contributions raw: ModelContributions, options: GraphOptions) {
        let n = raw.tokens, H = raw.heads
        let threshold = options.renormalizingThreshold
        var edges: [GraphEdge] = []
        var rows = [0], sources: [Int32] = [], heads: [Float] = []
        for l in 0..<raw.layers {
            let attention = raw.attention[l].thresholded(threshold), ffn = raw.ffn[l].thresholded(threshold)
            for q in 0..<n {
                let target = GraphNode(.afterAttention, layer: l, token: q)
                for k in attention.sources(of: q) {
                    let weight = Float(attention.tokenWeight(target: q, source: k))
                    if weight > 0 {
                        edges.append(
                            GraphEdge(
                                source: .input(layer: l, token: k), target: target, kind: .attention,
                                weight: weight))
                        sources.append(Int32(k))
                        heads.append(contentsOf: attention.headWeights(target: q, source: k))
                    }
                }
                rows.append(sources.count)
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
        self.heads = H
        self.options = options
        self.edges = edges
        attentionRows = rows
        attentionSources = sources
        attentionHeads = heads
    }

    /// The (thresholded) weight of each head in the attention edge from source token `k` into target `q` at `layer`.
    public func headWeights(layer l: Int, target q: Int, source k: Int) throws -> [Float] {
        try AnalysisError.check(l, below: layers, "layer")
        try AnalysisError.check(q, below: tokens, "token")
        try AnalysisError.check(k, below: tokens, "token")
        let row = attentionSources[attentionRows[l * tokens + q]..<attentionRows[l * tokens + q + 1]]
        guard let i = row.firstIndex(of: Int32(k)) else { return [Float](repeating: 0, count: heads) }
        return Array(attentionHeads[(i * heads)..<((i + 1) * heads)])
    }

    /// The output node whose prediction paths lead to: `I{L−1}_s`.
    public func output(_ s: Int) -> GraphNode { GraphNode(.afterFFN, layer: layers - 1, token: s) }
}
