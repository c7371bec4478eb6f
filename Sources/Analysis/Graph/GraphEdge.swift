/// An edge of the contribution graph: a part's weight in the whole it flows into.
public struct GraphEdge: Sendable, Hashable {
    /// Which part of the model the edge stands for. The API never merges kinds: the self-attention edge
    /// (`I{l−1}_q → A{l}_q` through the heads) and the residual edge between the same nodes are two edges.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Source token through the heads into a target's after-attention residual (weight: sum of the heads).
        case attention
        /// The residual stream into the after-attention residual of the same token.
        case residual
        /// After-attention residual into the FFN block, and the FFN block into the layer output (same weight).
        case ffn
        /// After-attention residual straight into the layer output.
        case ffnResidual = "ffn-residual"

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public let source: GraphNode
    public let target: GraphNode
    public let kind: Kind
    public let weight: Float

    public init(source: GraphNode, target: GraphNode, kind: Kind, weight: Float) {
        self.source = source
        self.target = target
        self.kind = kind
        self.weight = weight
    }
}
