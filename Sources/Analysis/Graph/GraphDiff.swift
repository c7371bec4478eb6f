/// The difference of two contribution graphs over one node set (`docs/analyses.md` §5): the same model on two prompts
/// of equal token count (a bias-probe pair), or two checkpoints of one architecture on the same prompt. The edges are
/// the union of both graphs' edges; each carries its weight in A and in B (0 where that graph does not keep it) and
/// `B − A`. An edge only B keeps *appears*; one only A keeps *vanishes*.
public struct GraphDiff: Sendable {
    public enum Change: String, Sendable, Hashable {
        case both, appears, vanishes
    }

    public struct Edge: Sendable, Hashable {
        public let source: GraphNode
        public let target: GraphNode
        public let kind: GraphEdge.Kind
        public let weightA: Float
        public let weightB: Float
        public let change: Change

        /// `weightB − weightA`, in Double.
        public var difference: Double { Double(weightB) - Double(weightA) }
    }

    public let layers: Int
    public let tokens: Int
    /// Ordered by target node, then source node, then kind (a topological order of the targets).
    public let edges: [Edge]

    /// Diffs `a` and `b`, which must have the same layers and tokens.
    public init(a: ContributionGraph, b: ContributionGraph) throws {
        guard a.layers == b.layers, a.tokens == b.tokens else {
            throw AnalysisError(
                "the graphs do not share a node set: A has \(a.layers) layers and \(a.tokens) tokens, B has "
                    + "\(b.layers) layers and \(b.tokens) tokens (compare runs of one architecture with the same "
                    + "number of tokens)")
        }
        struct Key: Hashable {
            let source: GraphNode, target: GraphNode, kind: GraphEdge.Kind
        }
        var weights: [Key: (a: Float?, b: Float?)] = [:]
        weights.reserveCapacity(a.edges.count + b.edges.count / 4)
        for e in a.edges {
            weights[Key(source: e.source, target: e.target, kind: e.kind), default: (nil, nil)].a = e.weight
        }
        for e in b.edges {
            weights[Key(source: e.source, target: e.target, kind: e.kind), default: (nil, nil)].b = e.weight
        }
        let n = a.tokens
        let edges = weights.map { key, w in
            Edge(
                source: key.source, target: key.target, kind: key.kind, weightA: w.a ?? 0, weightB: w.b ?? 0,
                change: w.a == nil ? .appears : w.b == nil ? .vanishes : .both)
        }
        self.edges = edges.sorted { x, y in
            let tx = x.target.index(tokens: n), ty = y.target.index(tokens: n)
            if tx != ty { return tx < ty }
            let sx = x.source.index(tokens: n), sy = y.source.index(tokens: n)
            if sx != sy { return sx < sy }
            return x.kind < y.kind
        }
        layers = a.layers
        tokens = n
    }

    /// Indices into `edges` of the `k` largest `|B − A|`, largest first (ties in edge order).
    public func largestDifferences(_ k: Int) -> [Int] {
        edges.indices.sorted { i, j in
            let di = abs(edges[i].difference), dj = abs(edges[j].difference)
            return di != dj ? di > dj : i < j
        }.prefix(max(0, k)).map { $0 }
    }

    /// How many edges appear, vanish, or are kept by both.
    public func count(_ change: Change) -> Int { edges.reduce(0) { $0 + ($1.change == change ? 1 : 0) } }
}
