import Analysis
import Testing

/// The graph and path rules on a hand-made two-token, one-layer case whose edges can be worked out by hand, plus
/// invariants on the fixture models.
@Suite("Contribution graph and paths")
struct ContributionGraphTests {
    /// One layer, two tokens, one head. Target 0: source 0 0.6, residual 0.4. Target 1: source 0 0.03, source 1 0.5,
    /// residual 0.47. FFN: [0.3, 0.02], residual [0.7, 0.98].
    static let handMade = ModelContributions(
        attention: [
            AttentionContributions(
                layer: 0, tokens: 2, heads: 1, window: nil, weights: [0.6, 0, 0.03, 0.5],
                residual: [0.4, 0.47], biasL1: [0, 0])
        ],
        ffn: [FFNContributions(layer: 0, ffn: [0.3, 0.02], residual: [0.7, 0.98])])

    static func names(_ edges: [GraphEdge]) -> [String] {
        edges.map { "\($0.source)>\($0.target):\($0.kind.rawValue)" }
    }

    @Test("renormalise at 0.04: cut parts vanish, the rest of each target sums to 1")
    func renormalized() throws {
        let graph = ContributionGraph(contributions: Self.handMade, options: try GraphOptions(threshold: 0.04))
        #expect(
            Self.names(graph.edges) == [
                "X0_0>A0_0:attention", "X0_0>A0_0:residual", "X0_1>A0_1:attention", "X0_1>A0_1:residual",
                "A0_0>M0_0:ffn", "M0_0>I0_0:ffn", "A0_0>I0_0:ffn-residual", "A0_1>I0_1:ffn-residual"
            ])
        let weights = graph.edges.map(\.weight)
        let expected: [Float] = [0.6, 0.4, 0.5 / 0.97, 0.47 / 0.97, 0.3, 0.3, 0.7, 1]
        for (w, e) in zip(weights, expected) { #expect(abs(w - e) < 1e-6) }
        #expect(
            Self.names(try graph.paths(start: 1)) == [
                "X0_1>A0_1:attention", "X0_1>A0_1:residual", "A0_1>I0_1:ffn-residual"
            ])
        #expect(try graph.paths(start: 0).count == 5)
        #expect(Self.names(graph.pathUnion()) == Self.names(graph.edges))
    }

    @Test("without renormalisation every part is an edge and the paths keep edges above the threshold")
    func notRenormalized() throws {
        let graph = ContributionGraph(
            contributions: Self.handMade,
            options: try GraphOptions(threshold: 0.04, renormalize: false))
        #expect(graph.edges.count == 11)
        #expect(
            Self.names(try graph.paths(start: 1)) == [
                "X0_1>A0_1:attention", "X0_1>A0_1:residual", "A0_1>I0_1:ffn-residual"
            ])
        let all = graph.pathsForAllStarts()
        #expect(all.count == 2 && all[1].count == 3 && all[0].count == 5)
    }

    @Test("a threshold outside [0, 1] and positions outside the run are errors")
    func badParameters() throws {
        for bad in [-0.01, 1.01, .nan, .infinity] {
            #expect(throws: AnalysisError.self) { try GraphOptions(threshold: bad) }
        }
        let graph = ContributionGraph(contributions: Self.handMade, options: try GraphOptions())
        #expect(throws: AnalysisError.self) { try graph.paths(start: 2) }
        #expect(throws: AnalysisError.self) { try graph.paths(start: -1) }
        #expect(throws: AnalysisError.self) { try graph.headWeights(layer: 1, target: 0, source: 0) }
        #expect(try graph.headWeights(layer: 0, target: 1, source: 1) == [1 * Float(0.5) / 0.97])
    }

    @Test("node names: LLM-TT's X0_t, A{l}_t, M{l}_t, I{l}_t, parsed back")
    func nodeNames() {
        #expect(GraphNode.input(layer: 0, token: 3).description == "X0_3")
        #expect(GraphNode.input(layer: 4, token: 7).description == "I3_7")
        for name in ["X0_3", "A11_0", "M2_15", "I0_1"] { #expect(GraphNode(name: name)?.description == name) }
        for bad in ["X1_3", "B0_1", "A_1", "A1_", "A-1_2", "I1_x", ""] { #expect(GraphNode(name: bad) == nil) }
    }

    @Test(
        "fixture models: edge count, weights per target, path edges reach the output",
        arguments: AnalysisFixtures.models)
    func invariants(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        let ids = try AnalysisFixtures.prompts(name)[1]
        let n = ids.count
        let contributions = try ModelContributions.compute(model: model, trace: try model.forward(tokens: ids))
        // At threshold 0 without renormalisation every part is an edge: Σ_q |sources(q)| + residual + 3 FFN edges.
        let full = ContributionGraph(
            contributions: contributions, options: try GraphOptions(threshold: 0, renormalize: false))
        let parts = contributions.attention.reduce(0) { total, layer in
            total + (0..<n).reduce(0) { $0 + layer.sources(of: $1).count }
        }
        #expect(full.edges.count == parts + 4 * n * model.info.layers)

        let graph = ContributionGraph(contributions: contributions, options: try GraphOptions(threshold: 0.02))
        var into: [GraphNode: Double] = [:]
        for e in graph.edges where e.target.kind != .ffn { // A: attention + residual; I: ffn + ffn-residual
            into[e.target, default: 0] += Double(e.weight)
        }
        for (node, total) in into {
            #expect(abs(total - 1) < 1e-5, "\(name) \(node): incoming weights sum to \(total)")
        }

        let all = graph.pathsForAllStarts()
        var union = Set<GraphEdge>()
        for (s, path) in all.enumerated() {
            union.formUnion(path)
            let sources = Set(path.map(\.source))
            for e in path {
                #expect(e.weight > 0)
                #expect(
                    e.target == graph.output(s) || sources.contains(e.target), "\(name) start \(s): \(e) leads nowhere")
            }
        }
        #expect(union == Set(graph.pathUnion()))
    }
}

/// Heatmap maps of one layer.
@Suite("Attention and contribution maps")
struct AttentionMapsTests {
    @Test("a head's pattern is the trace's; the aggregate is the mean over heads; contribution maps sum heads")
    func maps() throws {
        let model = try AnalysisFixtures.model("tiny-llama")
        let ids = try AnalysisFixtures.prompts("tiny-llama")[0]
        let trace = try model.forward(tokens: ids)
        let n = ids.count, H = model.info.heads
        let heads = try (0..<H).map { try AttentionMaps.pattern(trace: trace, layer: 1, head: $0) }
        #expect(heads[2] == Array(trace.attention(layer: 1, head: 2)))
        let mean = try AttentionMaps.pattern(trace: trace, layer: 1, head: nil)
        for i in 0..<(n * n) {
            #expect(abs(Double(mean[i]) - heads.reduce(0.0) { $0 + Double($1[i]) } / Double(H)) < 1e-7)
        }
        for q in 0..<n { #expect(abs(mean[(q * n)..<((q + 1) * n)].reduce(0, +) - 1) < 1e-5) }

        let c = try AttentionContributions.compute(model: model, trace: trace, layer: 1)
        let perHead = try (0..<H).map { try AttentionMaps.contributions(c, head: $0) }
        let sum = try AttentionMaps.contributions(c, head: nil)
        for q in 0..<n {
            for k in 0..<n {
                #expect(abs(sum[q * n + k] - perHead.reduce(0) { $0 + $1[q * n + k] }) < 1e-6)
                if k > q { #expect(sum[q * n + k] == 0) }
            }
        }
        #expect(throws: AnalysisError.self) { try AttentionMaps.pattern(trace: trace, layer: 1, head: H) }
        #expect(throws: AnalysisError.self) { try AttentionMaps.contributions(c, head: -1) }
    }
}

/// The batched lens grid and next-token table against the one-vector logit lens (itself checked against the goldens).
@Suite("Lens grid and next-token table")
struct LensGridTests {
    @Test("every cell's top token is the logit lens's top token", arguments: AnalysisFixtures.models)
    func grid(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        let ids = try AnalysisFixtures.prompts(name)[0]
        let trace = try model.forward(tokens: ids)
        for point in ResidualPoint.allCases {
            for normalize in [true, false] {
                let grid = try NextTokenTable.lensGrid(
                    model: model, trace: trace, point: point, k: 2,
                    normalize: normalize, workers: 2)
                #expect(grid.count == model.info.layers && grid.allSatisfy { $0.count == ids.count })
                for l in 0..<model.info.layers {
                    for t in 0..<ids.count {
                        let lens = try LogitLens.top(
                            model: model, trace: trace,
                            representation: Representation(layer: l, point: point, token: t),
                            k: 2, normalize: normalize)
                        #expect(grid[l][t].map(\.id) == lens.map(\.id), "\(name) \(point) layer \(l) token \(t)")
                        #expect(abs(grid[l][t][0].logit - lens[0].logit) < 1e-4)
                        #expect(grid[l][t][0].probability > 0 && grid[l][t][0].probability <= 1)
                    }
                }
            }
        }
    }
}
