import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// Zero ablation of each head and each layer against transformers with the head's slice of the output projection's
/// input zeroed by a forward pre-hook, and with the layer's output replaced by its input
/// (`tools/references/make_analytics_fixtures.py`, float64). Logits within 1e-4 relative to the largest logit; the
/// change in the predicted token's log-probability within 1e-4 nats.
@Suite("Head and layer ablation")
struct AblationTests {
    @Test("ablated logits and log-probability changes", arguments: AnalysisFixtures.analyticsModels)
    func golden(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        let prompt = try AnomalyTests.prompts(name)[0]
        let ids = AnomalyTests.ints(prompt["ids"])
        let expected = prompt["ablation"] as! [String: Any]
        let baseline = try model.forward(tokens: ids)
        var passes = 0
        let effects = try AblationEffects.measure(model: model, baseline: baseline, progress: { passes = $0 })
        #expect(passes == AblationEffects.passes(for: model.info))
        #expect(effects.predicted == (expected["predicted"] as! NSNumber).intValue)
        var worstLogit = 0.0, worstDelta = 0.0
        func check(_ ablation: Ablation, _ e: [String: Any], _ effect: AblationEffects.Effect, _ label: String) throws {
            let logits = Array(
                try model.forward(tokens: ids, options: ForwardOptions(ablation: ablation))
                    .logits(at: ids.count - 1)!)
            let reference = AnomalyTests.doubles(e["logits"])
            let scale = reference.map(abs).max()!
            let worst = zip(logits, reference).map { abs(Double($0) - $1) }.max()!
            #expect(worst <= 1e-4 * scale, "\(label): max |Δlogit| \(worst) (scale \(scale))")
            let delta = (e["delta_logprob"] as! NSNumber).doubleValue
            worstLogit = max(worstLogit, worst / scale)
            worstDelta = max(worstDelta, abs(effect.deltaLogProbability - delta))
            #expect(
                abs(effect.deltaLogProbability - delta) <= 1e-4,
                "\(label): Δlog p \(effect.deltaLogProbability) vs \(delta)")
            #expect(effect.deltaLogProbability != 0, "\(label): the ablation changes the prediction's probability")
        }
        let heads = expected["heads"] as! [[String: Any]]
        #expect(heads.count == effects.heads.count)
        for (e, effect) in zip(heads, effects.heads) {
            let l = (e["layer"] as! NSNumber).intValue, h = (e["head"] as! NSNumber).intValue
            #expect(effect.layer == l && effect.head == h)
            try check(.head(layer: l, head: h), e, effect, "\(name) zero L\(l)H\(h)")
        }
        let layers = expected["layers"] as! [[String: Any]]
        #expect(layers.count == effects.layers.count)
        for (e, effect) in zip(layers, effects.layers) {
            let l = (e["layer"] as! NSNumber).intValue
            #expect(effect.layer == l && effect.head == nil)
            try check(.layer(l), e, effect, "\(name) skip L\(l)")
        }
        print("\(name) ablation: max |Δlogit| / max|logit| \(worstLogit), max |ΔΔlog p| \(worstDelta)")
    }

    @Test("an empty ablation is the plain pass; a bad head or layer is an error; cancelling stops")
    func edges() throws {
        let model = try AnalysisFixtures.model("tiny-llama")
        let ids = try AnalysisFixtures.prompts("tiny-llama")[0]
        let plain = try model.forward(tokens: ids)
        #expect(try model.forward(tokens: ids, options: ForwardOptions(ablation: Ablation())).storage == plain.storage)
        #expect(throws: TransformerError.self) {
            try model.forward(tokens: ids, options: .init(ablation: .head(layer: 2, head: 0)))
        }
        #expect(throws: TransformerError.self) {
            try model.forward(tokens: ids, options: .init(ablation: .head(layer: 0, head: 4)))
        }
        #expect(throws: TransformerError.self) { try model.forward(tokens: ids, options: .init(ablation: .layer(-1))) }
        var calls = 0
        #expect(throws: AnalysisCancelled.self) {
            try AblationEffects.measure(
                model: model, baseline: plain,
                shouldContinue: {
                    calls += 1
                    return calls < 3
                })
        }
        #expect(calls == 3)
        // Reusing the unablated trace for the layers before the ablated one gives the full ablated pass, bit for bit.
        for ablation in [Ablation.head(layer: 1, head: 2), .layer(1), .head(layer: 0, head: 0), Ablation()] {
            let full = try model.forward(tokens: ids, options: ForwardOptions(ablation: ablation))
            let reused = try model.forward(tokens: ids, options: ForwardOptions(ablation: ablation), reusing: plain)
            #expect(reused.storage == full.storage, "\(ablation)")
        }
        #expect(throws: TransformerError.self) {
            try model.forward(tokens: Array(ids.dropLast()), options: ForwardOptions(), reusing: plain)
        }
        // Skipping a layer passes its input through: the output equals the input at every position.
        let skipped = try model.forward(tokens: ids, options: ForwardOptions(ablation: .layer(1)))
        #expect(skipped.post(1) == skipped.pre(1))
        #expect(skipped.pre(1) == plain.pre(1))
    }
}
