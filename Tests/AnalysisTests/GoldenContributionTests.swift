import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// Every analysis against the independent float64 PyTorch reference
/// (`tools/references/make_contribution_fixtures.py`: the materialised decomposition on hooked transformers models)
/// on GPT-2, Llama (GQA) and Gemma 3 (MQA, sandwich norms, sliding window). Tolerance: 1e-5 absolute for every weight
/// and logit (float32 engine vs float64 reference); thresholded topology, path sets, top-k orders and ranks must be
/// identical.
@Suite("Golden contributions, graphs, paths, lens and promoted tokens")
struct GoldenContributionTests {
    static let tolerance = 1e-5

    /// A decoded golden file (`Tests/Fixtures/golden/contributions-<model>.json`), read as plain JSON objects.
    struct Golden {
        let root: [String: Any]
        var cases: [[String: Any]] { root["cases"] as! [[String: Any]] }

        init(_ model: String) throws {
            let data = try Data(contentsOf: Fixtures.golden("contributions-\(model).json"))
            root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
    }

    static func doubles(_ value: Any?) -> [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    static func int(_ value: Any?) -> Int { (value as! NSNumber).intValue }

    /// Records the largest difference of `label` and fails above the tolerance.
    static func expectClose(
        _ actual: [Double], _ expected: [Double], _ label: String,
        tolerance: Double = GoldenContributionTests.tolerance
    ) {
        #expect(actual.count == expected.count, "\(label): \(actual.count) values vs \(expected.count)")
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "\(label): max |Δ| \(worst) > \(tolerance)")
    }

    struct Run {
        let model: DecoderModel
        let trace: Trace
        let contributions: ModelContributions
    }

    static func runs(_ name: String) throws -> (Golden, [Run]) {
        let golden = try Golden(name)
        let model = try AnalysisFixtures.model(name)
        let runs = try golden.cases.map { c -> Run in
            let trace = try model.forward(tokens: (c["ids"] as! [Any]).map(int))
            return Run(
                model: model, trace: trace,
                contributions: try ModelContributions.compute(model: model, trace: trace, workers: 2))
        }
        return (golden, runs)
    }

    @Test("attention, residual, bias and FFN weights of every layer", arguments: AnalysisFixtures.models)
    func contributions(name: String) throws {
        let (golden, runs) = try Self.runs(name)
        for (c, run) in zip(golden.cases, runs) {
            for (l, layer) in (c["layers"] as! [[String: Any]]).enumerated() {
                let a = run.contributions.attention[l], f = run.contributions.ffn[l]
                let keys = (layer["attention_keys"] as! [[Any]]).map { $0.map(Self.int) }
                let rows = layer["attention"] as! [[[Any]]]
                var actual: [Double] = [], expected: [Double] = []
                for q in 0..<a.tokens {
                    #expect(Array(a.sources(of: q)) == keys[q], "\(name) layer \(l) target \(q): visible sources")
                    for (i, k) in keys[q].enumerated() {
                        expected += Self.doubles(rows[q][i])
                        actual += a.headWeights(target: q, source: k).map(Double.init)
                    }
                }
                let label = "\(name) n=\(a.tokens) layer \(l)"
                Self.expectClose(actual, expected, label + " attention")
                Self.expectClose(
                    a.residual.map(Double.init), Self.doubles(layer["attention_residual"]), label + " residual")
                Self.expectClose(a.biasL1.map(Double.init), Self.doubles(layer["bias_l1"]), label + " bias L1")
                Self.expectClose(f.ffn.map(Double.init), Self.doubles(layer["ffn"]), label + " ffn")
                Self.expectClose(
                    f.residual.map(Double.init), Self.doubles(layer["ffn_residual"]), label + " ffn residual")
            }
        }
    }

    @Test("per-neuron contributions and activations", arguments: AnalysisFixtures.models)
    func neurons(name: String) throws {
        let (golden, runs) = try Self.runs(name)
        for (c, run) in zip(golden.cases, runs) {
            for entry in c["neurons"] as! [[String: Any]] {
                let l = Self.int(entry["layer"]), t = Self.int(entry["token"])
                let neurons = try NeuronContributions.compute(model: run.model, trace: run.trace, layer: l, token: t)
                let label = "\(name) neurons layer \(l) token \(t)"
                Self.expectClose(neurons.weights.map(Double.init), Self.doubles(entry["weights"]), label)
                Self.expectClose(
                    [Double(neurons.residual)], [(entry["residual"] as! NSNumber).doubleValue], label + " residual")
                // Activations are forward-pass values (up to 13 in tiny Gemma's GeGLU): 1e-5 of their scale, as the forward goldens.
                let activations = Self.doubles(entry["activations"])
                Self.expectClose(
                    neurons.activations.map(Double.init), activations, label + " activations",
                    tolerance: Self.tolerance * max(1, activations.map(abs).max() ?? 0))
                let top = neurons.top(3).map(\.index)
                let reference = Self.doubles(entry["weights"]).enumerated().sorted { $0.element > $1.element }.prefix(3)
                    .map(\.offset)
                #expect(top == reference, "\(label): top neurons")
            }
        }
    }

    @Test("thresholded graphs, paths of every start token and their union", arguments: AnalysisFixtures.models)
    func graphs(name: String) throws {
        let (golden, runs) = try Self.runs(name)
        func key(_ e: [Any]) -> String { "\(e[0] as! String)>\(e[1] as! String):\(e[2] as! String)" }
        func key(_ e: GraphEdge) -> String { "\(e.source)>\(e.target):\(e.kind.rawValue)" }
        for (c, run) in zip(golden.cases, runs) {
            for entry in c["graphs"] as! [[String: Any]] {
                let threshold = (entry["threshold"] as! NSNumber).doubleValue,
                    renormalize = entry["renormalize"] as! Bool
                let graph = ContributionGraph(
                    contributions: run.contributions,
                    options: try GraphOptions(threshold: threshold, renormalize: renormalize))
                let label = "\(name) n=\(run.trace.shape.tokens) τ=\(threshold) renormalize=\(renormalize)"
                let expected = Dictionary(
                    uniqueKeysWithValues: (entry["edges"] as! [[Any]]).map {
                        (key($0), ($0[3] as! NSNumber).doubleValue)
                    })
                let actual = Dictionary(uniqueKeysWithValues: graph.edges.map { (key($0), Double($0.weight)) })
                let differing = Set(actual.keys).symmetricDifference(expected.keys).sorted().prefix(5)
                #expect(Set(actual.keys) == Set(expected.keys), "\(label): edge sets differ: \(differing)")
                let common = expected.keys.filter { actual[$0] != nil }.sorted()
                Self.expectClose(common.map { actual[$0]! }, common.map { expected[$0]! }, label + " edge weights")

                let paths = graph.pathsForAllStarts()
                for (s, reference) in (entry["paths"] as! [[[Any]]]).enumerated() {
                    #expect(Set(paths[s].map(key)) == Set(reference.map(key)), "\(label): paths of start \(s)")
                    #expect(paths[s].count == reference.count)
                }
                #expect(
                    Set(graph.pathUnion().map(key)) == Set((entry["path_union"] as! [[Any]]).map(key)),
                    "\(label): path union")
            }
        }
    }

    @Test("logit lens: top-k order, logits and the rank in the predecessor", arguments: AnalysisFixtures.models)
    func lens(name: String) throws {
        let (golden, runs) = try Self.runs(name)
        for (c, run) in zip(golden.cases, runs) {
            for entry in c["lens"] as! [[String: Any]] {
                let r = Representation(
                    layer: Self.int(entry["layer"]),
                    point: ResidualPoint(rawValue: entry["point"] as! String)!,
                    token: Self.int(entry["token"]))
                let top = try LogitLens.top(
                    model: run.model, trace: run.trace, representation: r,
                    k: Self.int(entry["k"]), normalize: entry["normalize"] as! Bool)
                let reference = entry["top"] as! [[Any]]
                let label = "\(name) lens \(r) normalize=\(entry["normalize"] as! Bool)"
                #expect(top.map(\.id) == reference.map { Self.int($0[0]) }, "\(label): ids")
                #expect(top.map(\.previousRank) == reference.map { ($0[2] as? NSNumber)?.intValue }, "\(label): ranks")
                Self.expectClose(
                    top.map { Double($0.logit) }, reference.map { ($0[1] as! NSNumber).doubleValue }, label)
            }
        }
    }

    @Test("promoted and suppressed tokens of blocks, heads, the FFN and neurons", arguments: AnalysisFixtures.models)
    func promoted(name: String) throws {
        let (golden, runs) = try Self.runs(name)
        for (c, run) in zip(golden.cases, runs) {
            for entry in c["promoted"] as! [[String: Any]] {
                let l = Self.int(entry["layer"])
                let block: BlockOutput
                switch entry["kind"] as! String {
                case "attention": block = .attention(layer: l, token: Self.int(entry["token"]))
                case "head": block = .head(layer: l, token: Self.int(entry["token"]), head: Self.int(entry["head"]))
                case "ffn": block = .ffn(layer: l, token: Self.int(entry["token"]))
                case "neuron": block = .neuron(layer: l, neuron: Self.int(entry["neuron"]))
                case "neuron_scaled":
                    block = .scaledNeuron(layer: l, token: Self.int(entry["token"]), neuron: Self.int(entry["neuron"]))
                case let other:
                    Issue.record("unknown kind \(other)")
                    continue
                }
                let result = try PromotedTokens.compute(
                    model: run.model, trace: run.trace, block: block,
                    k: Self.int(entry["k"]), normalize: entry["normalize"] as! Bool)
                let label = "\(name) promoted \(block) \(entry)"
                for (side, tokens) in [("promoted", result.promoted), ("suppressed", result.suppressed)] {
                    let reference = entry[side] as! [[Any]]
                    #expect(tokens.map(\.id) == reference.map { Self.int($0[0]) }, "\(label) \(side): ids")
                    Self.expectClose(
                        tokens.map { Double($0.logit) }, reference.map { ($0[1] as! NSNumber).doubleValue },
                        "\(label) \(side)")
                }
            }
        }
    }

    @Test("LLM-TT's unit cases as the reference computed them")
    func unitCases() throws {
        let cases = try Golden("tiny-gpt2").root["llmtt_unit_cases"] as! [[String: Any]]
        #expect(cases.count == 3)
        for c in cases {
            switch c["name"] as! String {
            case "attention", "neuron":
                let parts = (c["parts"] as! [[Any]]).map { Self.doubles($0).map(Float.init) }
                let w = Proximity.weights(
                    parts: parts, oneOff: Self.doubles(c["one_off"]).map(Float.init),
                    whole: Self.doubles(c["whole"]).map(Float.init), norm: .l2)
                Self.expectClose(w.parts, Self.doubles(c["weights"]), "\(c["name"]!) weights", tolerance: 1e-9)
                Self.expectClose(
                    [w.oneOff], [(c["residual"] as! NSNumber).doubleValue], "\(c["name"]!) residual",
                    tolerance: 1e-9)
            default:
                let blocks = (c["blocks"] as! [[Any]]).map(Self.doubles)
                // Blocks of target q sit on source q (one head), so each target thresholds its own row.
                var weights = [Float](repeating: 0, count: 2 * 2 * 2)
                for q in 0..<2 { for h in 0..<2 { weights[(q * 2 + q) * 2 + h] = Float(blocks[q][h]) } }
                let t = AttentionContributions(
                    layer: 0, tokens: 2, heads: 2, window: nil, weights: weights,
                    residual: Self.doubles(c["residual"]).map(Float.init), biasL1: [0, 0]
                )
                .thresholded((c["threshold"] as! NSNumber).doubleValue)
                let expected = (c["blocks_out"] as! [[Any]]).map(Self.doubles)
                for q in 0..<2 {
                    Self.expectClose(
                        t.headWeights(target: q, source: q).map(Double.init), expected[q], "renormalised blocks")
                }
                Self.expectClose(t.residual.map(Double.init), Self.doubles(c["residual_out"]), "renormalised residual")
            }
        }
    }
}
