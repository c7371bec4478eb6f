import Analysis
import Testing
import Transformer

/// The factored, parallel attention contributions against the materialised-`D` oracle, on every fixture
/// architecture; worker counts give bit-identical results.
@Suite("Attention contributions: factored kernel vs materialised oracle")
struct FastContributionTests {
    @Test("fast equals naive within 2e-6, bias norms agree", arguments: AnalysisFixtures.models)
    func fastMatchesNaive(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        for ids in try AnalysisFixtures.prompts(name) {
            let trace = try model.forward(tokens: ids)
            for l in 0..<model.info.layers {
                let fast = try AttentionContributions.compute(model: model, trace: trace, layer: l)
                let naive = NaiveAttentionContributions.compute(model: model, trace: trace, layer: l)
                let weightError = zip(fast.denseWeights, naive.weights).map { abs(Double($0) - $1) }.max() ?? .infinity
                let residualError = zip(fast.residual, naive.residual).map { abs(Double($0) - $1) }.max() ?? .infinity
                #expect(weightError < 2e-6, "\(name) layer \(l): weights differ by \(weightError)")
                #expect(residualError < 2e-6, "\(name) layer \(l): residual weights differ by \(residualError)")
                for q in 0..<ids.count {
                    let sum = (0..<ids.count).reduce(Double(fast.residual[q])) {
                        $0 + fast.tokenWeight(target: q, source: $1)
                    }
                    #expect(abs(sum - 1) < 1e-5, "\(name) layer \(l) target \(q): weights sum to \(sum)")
                    let bias = Double(fast.biasL1[q]), unexplained = naive.unattributedL1[q]
                    #expect(
                        abs(bias - unexplained) <= 1e-4 * max(1, unexplained),
                        "\(name) layer \(l) target \(q): bias L1 \(bias) vs unexplained \(unexplained)")
                    for k in 0..<ids.count where !fast.isPart(target: q, source: k) {
                        #expect(fast.headWeights(target: q, source: k).allSatisfy { $0 == 0 })
                    }
                }
            }
        }
    }

    @Test("GPT-2 has a value and output bias to leave unattributed; Llama and Gemma have none")
    func biasPresence() throws {
        for (name, hasBias) in [("tiny-gpt2", true), ("tiny-llama", false), ("tiny-gemma3", false)] {
            let model = try AnalysisFixtures.model(name)
            let trace = try model.forward(tokens: try AnalysisFixtures.prompts(name)[0])
            let c = try AttentionContributions.compute(model: model, trace: trace, layer: 0)
            #expect(c.biasL1.allSatisfy { hasBias ? $0 > 0 : $0 == 0 }, "\(name): \(c.biasL1)")
        }
    }

    @Test("Gemma 3 sliding layer: keys outside the window are not parts")
    func slidingWindow() throws {
        let model = try AnalysisFixtures.model("tiny-gemma3")
        let ids = try AnalysisFixtures.prompts("tiny-gemma3")[1]
        let trace = try model.forward(tokens: ids)
        let sliding = try AttentionContributions.compute(model: model, trace: trace, layer: 0)
        let global = try AttentionContributions.compute(model: model, trace: trace, layer: 1)
        #expect(sliding.window == 4 && global.window == nil)
        #expect(sliding.sources(of: 10) == 7...10)
        #expect(global.sources(of: 10) == 0...10)
        #expect(sliding.tokenWeight(target: 10, source: 6) == 0)
        #expect(global.tokenWeight(target: 10, source: 0) > 0)
    }

    @Test("1, 2 and 3 workers give bit-identical contributions", arguments: AnalysisFixtures.models)
    func parallelIsBitIdentical(name: String) throws {
        let model = try AnalysisFixtures.model(name)
        let trace = try model.forward(tokens: try AnalysisFixtures.prompts(name)[1])
        let serial = try ModelContributions.compute(model: model, trace: trace, workers: 1)
        for workers in [2, 3] {
            #expect(try ModelContributions.compute(model: model, trace: trace, workers: workers) == serial)
        }
    }

    @Test("a trace from another model is refused")
    func mismatchedTrace() throws {
        let gpt2 = try AnalysisFixtures.model("tiny-gpt2"), llama = try AnalysisFixtures.model("tiny-llama")
        let trace = try gpt2.forward(tokens: [1, 2, 3])
        #expect(throws: AnalysisError.self) { try ModelContributions.compute(model: llama, trace: trace) }
        #expect(throws: AnalysisError.self) { try AttentionContributions.compute(model: gpt2, trace: trace, layer: 2) }
    }
}
