import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// Anomalies, head output norms, logit-lens flips and head clustering against the independent numpy reference
/// (`tools/references/make_analytics_fixtures.py`, float64 from the transformers forward pass) on GPT-2, Llama and
/// Gemma 3, with the default thresholds and with sensitive ones that make every detector fire. Values within 1e-5 (1e-5
/// relative for head output norms); the findings themselves (which layer, head, key, position, dimension) identical.
@Suite("Anomalies, lens flips and head clustering")
struct AnomalyTests {
    static func ints(_ value: Any?) -> [Int] { (value as! [Any]).map { ($0 as! NSNumber).intValue } }
    static func doubles(_ value: Any?) -> [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }

    static func prompts(_ name: String) throws -> [[String: Any]] {
        let root =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Fixtures.golden("analytics-\(name).json"))) as! [String: Any]
        return root["prompts"] as! [[String: Any]]
    }

    static func parameters(_ json: [String: Any]) -> AnomalyParameters {
        var p = AnomalyParameters()
        p.highAttention = (json["high_attention"] as! NSNumber).doubleValue
        p.includeFirstToken = json["include_first_token"] as! Bool
        p.uniformThreshold = (json["uniform_threshold"] as! NSNumber).doubleValue
        p.uniformMinRow = (json["uniform_min_row"] as! NSNumber).intValue
        p.deadFraction = (json["dead_fraction"] as! NSNumber).doubleValue
        p.outlierFactor = (json["outlier_factor"] as! NSNumber).doubleValue
        return p
    }

    @Test("anomalies and head output norms", arguments: AnalysisFixtures.analyticsModels)
    func anomalies(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        for prompt in try Self.prompts(name) {
            let ids = Self.ints(prompt["ids"])
            let trace = try model.forward(tokens: ids)
            let norms = try HeadOutputNorms(model: model, trace: trace)
            let expectedNorms = prompt["head_output_norms"] as! [[[Any]]]
            for l in norms.norms.indices {
                for h in norms.norms[l].indices {
                    let expected = Self.doubles(expectedNorms[l][h])
                    let worst = zip(norms.norms[l][h], expected).map { abs($0 - $1) / max(abs($1), 1e-3) }.max()!
                    #expect(worst <= 1e-5, "\(name) n=\(ids.count) L\(l)H\(h) head output norm rel \(worst)")
                }
            }
            for (index, c) in (prompt["anomalies"] as! [[String: Any]]).enumerated() {
                let label = "\(name) n=\(ids.count) case \(index)"
                let found = AttentionAnomalies(
                    trace: trace, headOutputNorms: norms,
                    parameters: Self.parameters(c["parameters"] as! [String: Any]))
                let high = c["high_attention"] as! [[String: Any]]
                #expect(
                    found.highAttention.map(\.key) == high.map { ($0["key"] as! NSNumber).intValue }, "\(label) keys")
                for (group, expected) in zip(found.highAttention, high) {
                    let hits = expected["hits"] as! [[Any]]
                    #expect(
                        group.hits.map { [$0.layer, $0.head, $0.query] } == hits.map { Self.ints(Array($0[0..<3])) },
                        "\(label) key \(group.key) hits")
                    for (hit, e) in zip(group.hits, hits) {
                        #expect(abs(hit.value - (number(e[3]))) <= 1e-5, "\(label) hit value")
                    }
                }
                func heads(_ list: [AttentionAnomalies.HeadFinding], _ key: String) {
                    let expected = c[key] as! [[Any]]
                    #expect(
                        list.map { [$0.layer, $0.head] } == expected.map { Self.ints(Array($0[0..<2])) },
                        "\(label) \(key)")
                    for (f, e) in zip(list, expected) {
                        #expect(abs(f.value - number(e[2])) <= 1e-5, "\(label) \(key) value \(f.value)")
                    }
                }
                heads(found.uniformAttention, "uniform_attention")
                heads(found.deadHeads, "dead_head")
                let outliers = c["outlier_activation"] as! [[Any]]
                #expect(
                    found.outlierActivations.map { [$0.layer, $0.position, $0.dimension] }
                        == outliers.map { Self.ints(Array($0[0..<3])) }, "\(label) outliers")
                for (o, e) in zip(found.outlierActivations, outliers) {
                    #expect(
                        abs(o.value - number(e[3])) <= 1e-5 && abs(o.ratio - number(e[4])) <= 1e-5 * number(e[4]),
                        "\(label) outlier value \(o.value) ratio \(o.ratio)")
                }
                if index == 1 {
                    #expect(
                        !found.highAttention.isEmpty && !found.uniformAttention.isEmpty && !found.deadHeads.isEmpty
                            && !found.outlierActivations.isEmpty, "\(label): the sensitive case fires every detector")
                }
            }
        }
    }

    @Test("logit-lens flips", arguments: AnalysisFixtures.analyticsModels)
    func lensFlips(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        for prompt in try Self.prompts(name) {
            let ids = Self.ints(prompt["ids"])
            let flips = try LensFlip.compute(model: model, trace: try model.forward(tokens: ids))
            let expected = prompt["lens_flips"] as! [[String: Any]]
            #expect(flips.count == expected.count)
            for (f, e) in zip(flips, expected) {
                #expect(f.topByLayer == Self.ints(e["top1_by_layer"]), "\(name) position \(f.position)")
                #expect(f.final == (e["final"] as! NSNumber).intValue)
                #expect(f.firstLayer == (e["first_layer"] as! NSNumber).intValue)
                #expect(f.settledLayer == (e["settled_layer"] as! NSNumber).intValue)
                #expect(f.stays == e["stays"] as! Bool)
            }
        }
    }

    @Test("a prediction that appears, leaves and comes back does not stay")
    func flipThatLeaves() {
        let flip = LensFlip(position: 3, topByLayer: [5, 9, 7, 9, 9])
        #expect(flip.final == 9 && flip.firstLayer == 1 && flip.settledLayer == 3 && !flip.stays)
        let steady = LensFlip(position: 0, topByLayer: [1, 2, 2])
        #expect(steady.firstLayer == 1 && steady.settledLayer == 1 && steady.stays)
        #expect(LensFlip(position: 0, topByLayer: [4]).stays)
    }

    @Test("k-means++ clustering of heads", arguments: AnalysisFixtures.analyticsModels)
    func clustering(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        for prompt in try Self.prompts(name) {
            let ids = Self.ints(prompt["ids"])
            let expected = prompt["clusters"] as! [String: Any]
            let metrics = try HeadMetrics.all(trace: try model.forward(tokens: ids))
            let clusters = try HeadClustering(
                metrics: metrics, k: (expected["k"] as! NSNumber).intValue,
                seed: UInt64((expected["seed"] as! NSNumber).intValue))
            #expect(HeadClustering.featureNames == (expected["features"] as! [String]))
            #expect(clusters.seeds == Self.ints(expected["seeds"]), "\(name) seeds")
            #expect(clusters.assignment == Self.ints(expected["assignment"]), "\(name) assignment")
            #expect(clusters.iterations == (expected["iterations"] as! NSNumber).intValue, "\(name) iterations")
            for (c, e) in zip(clusters.centroids, expected["centroids"] as! [[Any]]) {
                #expect(zip(c, Self.doubles(e)).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(name) centroid")
            }
            #expect(abs(clusters.inertia - (expected["inertia"] as! NSNumber).doubleValue) <= 1e-5)
        }
    }

    @Test("clustering is deterministic, caps k at the head count and refuses bad input")
    func clusteringHandMade() throws {
        let metrics = try HeadMetrics.all(trace: try AnalysisFixtures.model("tiny-gpt2").forward(tokens: [1, 2, 3, 4]))
        let one = try HeadClustering(metrics: metrics, k: 2)
        let again = try HeadClustering(metrics: metrics, k: 2)
        #expect(one == again)
        #expect(Set(one.assignment).count == 2)
        let capped = try HeadClustering(metrics: metrics, k: 50)
        #expect(capped.centroids.count == metrics.flatMap { $0 }.count)
        #expect(abs(capped.inertia) < 1e-12)
        #expect(throws: AnalysisError.self) { try HeadClustering(metrics: metrics, k: 0) }
        let oneToken = try HeadMetrics.all(trace: try AnalysisFixtures.model("tiny-gpt2").forward(tokens: [1]))
        #expect(throws: AnalysisError.self) { try HeadClustering(metrics: oneToken) }
    }
}

private func number(_ value: Any) -> Double { (value as! NSNumber).doubleValue }
