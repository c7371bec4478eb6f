import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// `GraphDiff` against `tools/references/make_comparison_fixtures.py` (float64 contributions, the graph of
/// `make_contribution_fixtures.py`, the union of edges). Weights: |Δ| ≤ 1e-5; the edge list, its order, each edge's
/// change, the counts and the largest differences exactly.
@Suite("Graph diff")
struct GraphDiffTests {
    typealias Object = [String: Any]

    static var golden: Object {
        let data = try! Data(contentsOf: Fixtures.golden("graph-diff.json"))
        return try! JSONSerialization.jsonObject(with: data) as! Object
    }

    static var cases: [Int] { Array((golden["cases"] as! [Object]).indices) }

    static func graph(_ model: DecoderModel, _ ids: [Int], _ options: GraphOptions) throws -> ContributionGraph {
        let trace = try model.forward(tokens: ids)
        return ContributionGraph(
            contributions: try ModelContributions.compute(model: model, trace: trace), options: options)
    }

    @Test("each case against the reference", arguments: cases)
    func goldenCase(_ index: Int) throws {
        let expected = (Self.golden["cases"] as! [Object])[index]
        let model = try ModelLoader.load(Fixtures.model(expected["model"] as! String))
        let ids = expected["token_ids"] as! [[Int]]
        let options = try GraphOptions(
            threshold: expected["threshold"] as! Double, renormalize: expected["renormalize"] as! Bool)
        let diff = try GraphDiff(a: Self.graph(model, ids[0], options), b: Self.graph(model, ids[1], options))
        let edges = expected["edges"] as! [Object]
        let label = "\(expected["model"]!) case \(index)"
        #expect(diff.edges.count == edges.count, "\(label): \(diff.edges.count) edges vs \(edges.count)")
        var worst = 0.0
        for (got, want) in zip(diff.edges, edges) {
            let name = "\(got.source)→\(got.target) \(got.kind.rawValue)"
            #expect(
                "\(got.source)" == want["source"] as! String && "\(got.target)" == want["target"] as! String
                    && got.kind.rawValue == want["kind"] as! String && got.change.rawValue == want["change"] as! String,
                "\(label): \(name) \(got.change) vs \(want)")
            for (value, key) in [
                (Double(got.weightA), "weight_a"), (Double(got.weightB), "weight_b"), (got.difference, "difference")
            ] {
                worst = max(worst, abs(value - (want[key] as! Double)))
            }
        }
        #expect(worst <= 1e-5, "\(label): largest weight error \(worst)")
        let counts = expected["counts"] as! [String: Int]
        #expect(diff.count(.both) == counts["both"] && diff.count(.appears) == counts["appears"])
        #expect(diff.count(.vanishes) == counts["vanishes"])
        // Differences equal in exact arithmetic (an FFN site's two edges, a renormalised split) are a tie group in
        // the reference: within a group the order is float noise, so each place holds a member of its group.
        let largest = expected["largest"] as! [Int]
        let groups = (expected["largest_tie_groups"] as! [[Int]]).map(Set.init)
        let got = diff.largestDifferences(largest.count)
        #expect(Set(got) == Set(largest), "\(label) largest: \(got) vs \(largest)")
        for (place, (g, e)) in zip(got, largest).enumerated() {
            let group = groups.first { $0.contains(e) } ?? [e]
            #expect(group.contains(g), "\(label) largest[\(place)]: \(g) vs \(e)")
        }
    }

    @Test("a graph against itself changes nothing; graphs over different node sets are refused")
    func itselfAndMismatch() throws {
        let model = try ModelLoader.load(Fixtures.model("tiny-gpt2"))
        let options = try GraphOptions()
        let g = try Self.graph(model, [459, 270, 266, 267, 266, 414], options)
        let same = try GraphDiff(a: g, b: g)
        #expect(same.edges.count == g.edges.count && same.edges.allSatisfy { $0.change == .both && $0.difference == 0 })
        let shorter = try Self.graph(model, [459, 270, 266], options)
        #expect(throws: AnalysisError.self) { try GraphDiff(a: g, b: shorter) }
    }
}
