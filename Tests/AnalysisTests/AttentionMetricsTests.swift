import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// Attention metrics, pattern classes, rollout and layer flow against the independent numpy reference
/// (`tools/references/make_metrics_fixtures.py`, float64 from the transformers forward pass) on GPT-2, Llama and
/// Gemma 3. Tolerance 1e-5 absolute (float32 attention vs the float64 reference); classes and vertical keys identical.
@Suite("Attention metrics, pattern classes, rollout and layer flow")
struct AttentionMetricsTests {
    static func doubles(_ value: Any?) -> [Double] {
        (value as! [Any]).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }

    static func expectClose(_ actual: [Double], _ expected: [Double], _ label: String) {
        #expect(actual.count == expected.count, "\(label): \(actual.count) vs \(expected.count) values")
        let worst = zip(actual, expected).map { a, e in a.isNaN && e.isNaN ? 0 : abs(a - e) }.max() ?? 0
        #expect(worst <= 1e-5, "\(label): max |Δ| \(worst)")
    }

    @Test("per-head metrics, classes, per-row metrics, rollout and flow", arguments: AnalysisFixtures.analyticsModels)
    func golden(name: String) throws {
        let root =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Fixtures.golden("metrics-\(name).json"))) as! [String: Any]
        let model = try AnalysisFixtures.model(name)
        for c in root["cases"] as! [[String: Any]] {
            let ids = (c["ids"] as! [Any]).map { ($0 as! NSNumber).intValue }
            let trace = try model.forward(tokens: ids)
            let n = ids.count
            let heads = try HeadMetrics.all(trace: trace)
            for (l, layer) in (c["heads"] as! [[[String: Any]]]).enumerated() {
                for (h, expected) in layer.enumerated() {
                    let m = heads[l][h]
                    let label = "\(name) n=\(n) L\(l)H\(h)"
                    let keys = [
                        "entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token",
                        "previous_token", "self", "diagonal", "uniformity", "vertical"
                    ]
                    let values = [
                        m.entropy, m.normalizedEntropy, m.sparsity, m.locality, m.focus, m.firstToken,
                        m.previousToken, m.selfShare, m.diagonal, m.uniformity, m.vertical
                    ]
                    Self.expectClose(values, keys.map { (expected[$0] as! NSNumber).doubleValue }, label)
                    #expect(m.verticalKey == (expected["vertical_key"] as! NSNumber).intValue, "\(label) vertical key")
                    #expect(m.patternClass.rawValue == expected["class"] as! String, "\(label) class")
                }
            }
            let rows = c["rows"] as! [String: Any]
            let l = (rows["layer"] as! NSNumber).intValue, h = (rows["head"] as! NSNumber).intValue
            let r = AttentionRowMetrics(pattern: trace.attention(layer: l, head: h), tokens: n)
            for (key, actual) in [
                ("entropy", r.entropy), ("normalized_entropy", r.normalizedEntropy),
                ("sparsity", r.sparsity), ("locality", r.locality), ("focus", r.focus),
                ("uniformity", r.uniformity), ("diagonal", r.diagonal)
            ] {
                Self.expectClose(actual, Self.doubles(rows[key]), "\(name) n=\(n) rows \(key)")
            }
            let rollout = try AttentionRollout.compute(trace: trace)
            Self.expectClose(rollout, (c["rollout"] as! [[Any]]).flatMap(Self.doubles), "\(name) n=\(n) rollout")
            for (layer, expected) in zip(LayerFlow.compute(trace: trace), c["flow"] as! [[String: Any]]) {
                let label = "\(name) n=\(n) flow L\(layer.layer)"
                Self.expectClose(layer.cosine, Self.doubles(expected["cos"]), label + " cos")
                Self.expectClose(layer.informationLoss, Self.doubles(expected["information_loss"]), label + " loss")
                Self.expectClose(layer.relativeUpdate, Self.doubles(expected["relative_update"]), label + " update")
                Self.expectClose(layer.attentionShare, Self.doubles(expected["attention_share"]), label + " attention")
                Self.expectClose(layer.ffnShare, Self.doubles(expected["ffn_share"]), label + " ffn")
            }
        }
    }

    @Test("hand-made patterns: a sink, a previous-token head, uniform rows")
    func handMade() throws {
        // Rows of a 4-token pattern: row q puts 0.7 on key 0 and spreads the rest evenly.
        let n = 4
        var sink = [Float](repeating: 0, count: n * n), previous = sink, uniform = sink
        for q in 0..<n {
            for k in 0...q {
                sink[q * n + k] = q == 0 ? 1 : (k == 0 ? 0.7 : 0.3 / Float(q))
                previous[q * n + k] = q == 0 ? 1 : (k == q - 1 ? 1 : 0)
                uniform[q * n + k] = 1 / Float(q + 1)
            }
        }
        let s = AttentionRowMetrics(pattern: sink, tokens: n)
        #expect(s.firstToken.dropFirst().allSatisfy { abs($0 - 0.7) < 1e-6 })
        let p = AttentionRowMetrics(pattern: previous, tokens: n)
        #expect(p.previousToken.dropFirst().allSatisfy { $0 == 1 })
        #expect(p.locality.dropFirst().allSatisfy { abs($0 - 0.5) < 1e-12 }) // distance 1 → 1/(1+1)
        let u = AttentionRowMetrics(pattern: uniform, tokens: n)
        #expect(u.uniformity.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(u.normalizedEntropy.dropFirst().allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(u.sparsity.allSatisfy { $0 == 0 })
    }
}
