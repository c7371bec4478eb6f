import Analysis
import Foundation
import Synchronization
import Testing
import TestSupport
import Tokenizers
import Transformer

@Suite("Rank statistics, curves and seeded orders")
struct EvaluationMathTests {
    @Test("orders put equal scores in position order; average ranks share ties")
    func ordersAndRanks() {
        #expect(RankStatistics.order([0.1, 0.5, 0.5, -1]) == [1, 2, 0, 3])
        #expect(RankStatistics.averageRanks([0.1, 0.5, 0.5, -1]) == [2, 3.5, 3.5, 1])
        #expect(RankStatistics.normalizedRanks([3, 1, 2]) == [1, 0, 0.5])
    }

    @Test("Spearman: ±1 for monotone maps, the textbook value with ties, nil for a constant vector")
    func spearman() throws {
        #expect(RankStatistics.spearman([1, 2, 3, 4], [10, 20, 30, 400]) == 1)
        #expect(RankStatistics.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // Ranks [1, 2.5, 2.5, 4] and [1, 2, 3, 4]: Pearson = 4.5 / √(4.5 · 5).
        let rho = try #require(RankStatistics.spearman([1, 2, 2, 3], [1, 2, 3, 4]))
        #expect(abs(rho - 4.5 / (4.5 * 5).squareRoot()) < 1e-15)
        #expect(RankStatistics.spearman([1, 1, 1], [1, 2, 3]) == nil)
        #expect(RankStatistics.spearman([1], [1]) == nil)
    }

    @Test("top-k overlap and ceil(p/100 · n) counts")
    func overlapAndCounts() {
        #expect(RankStatistics.topKOverlap([4, 3, 2, 1], [1, 3, 4, 2], k: 2) == 0.5)
        #expect(RankStatistics.topKOverlap([4, 3, 2, 1], [4, 3, 2, 1], k: 3) == 1)
        #expect(RankStatistics.topCount(percent: 10, of: 21) == 3)
        #expect(RankStatistics.topCount(percent: 20, of: 5) == 1)
        #expect(RankStatistics.topCount(percent: 50, of: 7) == 4)
        #expect(RankStatistics.topCount(percent: 10, of: 64) == 7)
    }

    @Test("trapezoid area over k/n, comprehensiveness and sufficiency read off the curves")
    func curves() {
        let deletion = FaithfulnessCurve(values: [4, 2, 1, 0])
        #expect(abs(deletion.auc - (3 + 1.5 + 0.5) / 3) < 1e-15)
        let insertion = FaithfulnessCurve(values: [0, 3, 3.5, 4])
        let e = OrderEvaluation(order: [2, 0, 1], deletion: deletion, insertion: insertion, fractions: [10, 50])
        // ceil(10 % · 3) = 1, ceil(50 % · 3) = 2.
        #expect(e.comprehensiveness == [10: 2, 50: 3])
        #expect(e.sufficiency == [10: 1, 50: 0.5])
    }

    @Test("seeded permutations and normals are fixed by their seed")
    func seeded() {
        let a = SeededOrders.permutation(count: 30, seed: 7)
        #expect(a == SeededOrders.permutation(count: 30, seed: 7))
        #expect(a.sorted() == Array(0..<30))
        #expect(a != SeededOrders.permutation(count: 30, seed: 8))
        let z = SeededOrders.gaussian(count: 20_000, seed: 1001)
        let mean = z.reduce(0, +) / 20_000, variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20_000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.04, "mean \(mean), variance \(variance)")
    }
}

@Suite("Evaluation errors, progress and cancellation")
struct EvaluationRequestTests {
    @Test("method lists: unknown, empty and repeated names name the field")
    func methodLists() throws {
        #expect(try EvaluationMethod.parseList("ig, occlusion") == [.ig, .occlusion])
        for bad in ["", " , ", "ig,foo", "ig,ig"] {
            #expect(throws: EvaluationError.self) { try EvaluationMethod.parseList(bad) }
            do { _ = try EvaluationMethod.parseList(bad) } catch { #expect(error.field == "methods") }
        }
    }

    static func setup() throws -> (DecoderModel, [Int], Trace, GradientTarget) {
        let model = try AnalysisFixtures.model("tiny-llama")
        let ids = try AnalysisFixtures.prompts("tiny-llama")[0]
        return (model, ids, try model.forward(tokens: ids), GradientTarget(position: ids.count - 1, token: 5))
    }

    static func field(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as EvaluationError { return error.field } catch { return "other: \(error)" }
        return nil
    }

    @Test("a variant with another token count, σ ≤ 0 and an empty method list are refused before any pass")
    func badInput() throws {
        let (model, ids, trace, target) = try Self.setup()
        let passes = Atomic<Int>(0)
        func run(_ parameters: EvaluationParameters, variant: [Int]? = nil) throws {
            _ = try ExplanationEvaluation.evaluate(
                model: model, trace: trace, target: target, parameters: parameters, variant: variant,
                progress: { _ in passes.add(1, ordering: .relaxed) })
        }
        #expect(Self.field { try run(EvaluationParameters(), variant: ids + [3]) } == "variant")
        #expect(Self.field { try run(EvaluationParameters(sigma: 0)) } == "sigma")
        #expect(Self.field { try run(EvaluationParameters(sigma: -1)) } == "sigma")
        #expect(Self.field { try run(EvaluationParameters(methods: [])) } == "methods")
        #expect(Self.field { try run(EvaluationParameters(topK: ids.count + 1)) } == "top_k")
        #expect(passes.load(ordering: .relaxed) == 0)
    }

    @Test("progress rises to the pass count; shouldContinue false stops with AnalysisCancelled")
    func progressAndCancel() throws {
        let (model, ids, trace, target) = try Self.setup()
        let parameters = EvaluationParameters(methods: [.saliency, .occlusion], noiseSamples: 1)
        let seen = Mutex<[EvaluationProgress]>([])
        let e = try ExplanationEvaluation.evaluate(
            model: model, trace: trace, target: target, parameters: parameters, variant: ids, workers: 2,
            progress: { p in seen.withLock { $0.append(p) } })
        let all = seen.withLock { $0 }
        let total = ExplanationEvaluation.passCount(parameters, tokens: ids.count, variant: true)
        #expect(all.allSatisfy { $0.total == total && $0.done <= total })
        #expect(all.map(\.done).max() == total)
        #expect(Set(all.map(\.stage)) == [.scores, .curves, .noise, .variant])
        #expect(e.passes <= total)
        // The variant is the prompt itself: every method is perfectly stable against it.
        #expect(e.stability.methods.allSatisfy { $0.variant == 1 })
        let checks = Atomic<Int>(0)
        #expect(throws: AnalysisCancelled.self) {
            try ExplanationEvaluation.evaluate(
                model: model, trace: trace, target: target, parameters: parameters, workers: 2,
                shouldContinue: { checks.add(1, ordering: .relaxed).newValue <= 2 })
        }
    }

    @Test("the verdict cites the AUCs it compares")
    func verdict() throws {
        let (model, _, trace, target) = try Self.setup()
        let e = try ExplanationEvaluation.evaluate(
            model: model, trace: trace, target: target,
            parameters: EvaluationParameters(methods: [.gradxinput, .occlusion], noiseSamples: 2), workers: 2)
        let verdict = EvaluationVerdict(e)
        let cited = String(format: "%.3g", e.randomDeletionMean)
        #expect(verdict.text.contains(cited), "\(verdict.text) lacks \(cited)")
        if let best = verdict.mostFaithful {
            #expect(verdict.text.contains(String(format: "%.3g", e.method(best)!.faithfulness.deletion.auc)))
        }
    }
}

@Suite("Model disagreement")
struct ModelDisagreementTests {
    @Test("scores spread over characters and summed per word")
    func perWord() throws {
        let text = "ab cd"
        // Model A: "ab" | " cd"; model B: "a" | "b c" | "d" (a token across a space).
        let d = ModelDisagreement(
            text: text, spans: ([0..<2, 2..<5], [0..<1, 1..<4, 4..<5]), scores: ([1, 3], [2, 3, -1]))
        #expect(d.words.map(\.text) == ["ab", "cd"])
        #expect(d.words[0].scores.0 == 1 && d.words[1].scores.0 == 2) // " cd": 3 over 3 characters, 2 in "cd"
        #expect(d.words[0].scores.1 == 3 && d.words[1].scores.1 == 0) // "b c": 1 per character
        #expect(d.spearman == -1)
        #expect(d.diverging == [0, 1])
    }

    @Test("a tokenizer's character spans cover the text, BOS covers nothing")
    func spans() throws {
        let tokenizer = try TokenizerLoader.load(Fixtures.model("tiny-llama"))
        let text = "The capital of France is"
        let ids = try tokenizer.encode(text)
        let spans = tokenizer.characterSpans(of: ids, in: text)
        #expect(spans.count == ids.count)
        #expect(spans.first?.lowerBound == 0 && spans.last?.upperBound == text.unicodeScalars.count)
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        if let bos = tokenizer.bosTokenID, ids.first == bos { #expect(spans[0].isEmpty) }
    }
}
