extension ContributionGraph {
    /// The edges on the paths to the prediction at token `start` (`docs/contributions.md` §1.8): every edge above
    /// the path threshold whose target is `I{L−1}_start` or reaches it through edges above the threshold. In graph
    /// order.
    public func paths(start: Int) throws -> [GraphEdge] {
        try AnalysisError.check(start, below: tokens, "token")
        return pathEdgeIndices(starts: [start])[0].map { edges[$0] }
    }

    /// The path edges of each start token `0..<n`, in one sweep.
    public func pathsForAllStarts() -> [[GraphEdge]] {
        pathEdgeIndicesForAllStarts().map { $0.map { edges[$0] } }
    }

    /// The indices into `edges` of each start token's path edges, in graph order (what the API sends).
    public func pathEdgeIndicesForAllStarts() -> [[Int]] {
        pathEdgeIndices(starts: Array(0..<tokens))
    }

    /// The union of the path edges of every start token, in graph order.
    public func pathUnion() -> [GraphEdge] {
        let reach = reachability(starts: Array(0..<tokens))
        return edges.indices.filter { e in
            reach.edgeAbove[e] && reach.any(edges[e].target)
        }.map { edges[$0] }
    }

    private func pathEdgeIndices(starts: [Int]) -> [[Int]] {
        let reach = reachability(starts: starts)
        var result = [[Int]](repeating: [], count: starts.count)
        for (e, edge) in edges.enumerated() where reach.edgeAbove[e] {
            reach.forEachStart(reaching: edge.target) { result[$0].append(e) }
        }
        return result
    }

    /// For every node, the set (a bitset over the requested starts) of outputs it reaches through edges above the
    /// path threshold. Edges are ordered by target in topological order, so one backward sweep settles every node:
    /// `O(E · starts / 64)`.
    private func reachability(starts: [Int]) -> Reachability {
        let n = tokens, words = (starts.count + 63) / 64
        var bits = [UInt64](repeating: 0, count: GraphNode.count(layers: layers, tokens: n) * words)
        for (i, s) in starts.enumerated() {
            bits[output(s).index(tokens: n) * words + i / 64] |= 1 << UInt64(i % 64)
        }
        let above = edges.map { Double($0.weight) > options.pathThreshold }
        for e in edges.indices.reversed() where above[e] {
            let from = edges[e].source.index(tokens: n) * words, to = edges[e].target.index(tokens: n) * words
            for w in 0..<words { bits[from + w] |= bits[to + w] }
        }
        return Reachability(bits: bits, words: words, tokens: n, edgeAbove: above)
    }
}

/// Which starts each node reaches.
private struct Reachability {
    let bits: [UInt64]
    let words: Int
    let tokens: Int
    let edgeAbove: [Bool]

    func any(_ node: GraphNode) -> Bool {
        let base = node.index(tokens: tokens) * words
        return (0..<words).contains { bits[base + $0] != 0 }
    }

    func forEachStart(reaching node: GraphNode, _ body: (Int) -> Void) {
        let base = node.index(tokens: tokens) * words
        for w in 0..<words {
            var word = bits[base + w]
            while word != 0 {
                body(w * 64 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
    }
}
