import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// The analyses on the real GGUF models (Gemma 3 270M: MQA, sandwich norms, 512-token sliding window; SmolLM2 135M:
/// GQA 9/3), installed by `glassbox models install` (which `scripts/test` runs): the factored contributions against
/// the materialised oracle on the first and last layers, weights that sum to 1, and the graph's paths.
@Suite("Real models: contributions and graph")
struct RealModelContributionTests {
    @Test(
        "fast equals the materialised oracle; every target's weights sum to 1",
        arguments: ["gemma-3-270m-q4_k_m.gguf", "SmolLM2-135M-Instruct.Q4_1.gguf"])
    func contributions(file: String) throws {
        let url = Fixtures.realModel(file)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install NAME (scripts/test does)")
        let model = try ModelLoader.load(url)
        let ids = [2, 651, 6037, 563, 1032, 5769, 529, 506, 1677, 2951, 236761, 108].map { $0 % model.info.vocabSize }
        let trace = try model.forward(tokens: ids, options: ForwardOptions(workers: 2))
        let all = try ModelContributions.compute(model: model, trace: trace, workers: 2)
        for l in [0, model.info.layers - 1] {
            let naive = NaiveAttentionContributions.compute(model: model, trace: trace, layer: l)
            let fast = all.attention[l]
            let error = zip(fast.denseWeights, naive.weights).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(error < 1e-5, "\(file) layer \(l): fast vs naive \(error)")
        }
        for layer in all.attention {
            for q in 0..<ids.count {
                let sum = layer.sources(of: q).reduce(Double(layer.residual[q])) {
                    $0 + layer.tokenWeight(target: q, source: $1)
                }
                #expect(abs(sum - 1) < 1e-5, "\(file) layer \(layer.layer) target \(q): \(sum)")
            }
        }
        let graph = ContributionGraph(contributions: all, options: try GraphOptions())
        let paths = try graph.paths(start: ids.count - 1)
        #expect(paths.contains { $0.target == graph.output(ids.count - 1) })
        #expect(paths.allSatisfy { $0.weight > 0 })
    }
}
