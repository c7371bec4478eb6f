import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// The explainer evaluation against `tools/references/make_evaluation_fixtures.py` (float64 transformers and
/// autograd, written from `docs/analyses.md` §7): every score, curve value, AUC, comprehensiveness and sufficiency
/// within 1e-4 of the reference curve's range (scores: of the largest |score|), every Spearman and overlap within
/// 1e-4, the random orders identical to the reference's from the same seeds.
///
/// Spearman and top-k overlap are functions of ranks: where two reference scores lie closer than float32 can
/// resolve (`min_gap`, relative to the score range, below `decided`), the order of that pair is not a property of
/// the model, so the end-to-end rank checks there compare against the reference's statistics of the Swift scores'
/// own ranks instead; the rank functions themselves are always checked on the reference's inputs.
@Suite("Explainer evaluation against the float64 reference")
struct EvaluationGoldenTests {
    static let models = ["tiny-gpt2", "tiny-llama", "tiny-gemma3"]
    static let tolerance = 1e-4
    /// A reference order is decided when its closest pair of scores is this far apart (relative to the range).
    static let decided = 1e-5

    struct Golden {
        let root: [String: Any]
        subscript(_ key: String) -> Any { root[key]! }
        func object(_ key: String) -> [String: Any] { root[key] as! [String: Any] }

        static func load(_ name: String) throws -> Golden {
            let data = try Data(contentsOf: Fixtures.golden("evaluation-\(name).json"))
            return Golden(root: try JSONSerialization.jsonObject(with: data) as! [String: Any])
        }

        var ids: [Int] { root["ids"] as! [Int] }
        var target: GradientTarget {
            let t = object("target")
            return GradientTarget(position: t["position"] as! Int, token: t["token"] as! Int)
        }
        var parameters: EvaluationParameters {
            let p = object("parameters")
            var parameters = EvaluationParameters(
                methods: EvaluationMethod.allCases, steps: p["steps"] as! Int, baseline: .zero,
                randomSeeds: (p["random_seeds"] as! [Int]).map(UInt64.init), fractions: p["fractions"] as! [Int],
                sigma: p["sigma"] as! Double, topK: p["top_k"] as? Int)
            parameters.noiseSeeds = (p["noise_seeds"] as! [Int]).map(UInt64.init)
            return parameters
        }
    }

    static func numbers(_ value: Any?) -> [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    static func optionals(_ value: Any?) -> [Double?] { (value as! [Any]).map { ($0 as? NSNumber)?.doubleValue } }

    /// Every value within `tolerance ×` the range of `expected` (or of `scale` when given).
    static func expectClose(_ actual: [Double], _ expected: [Double], scale: Double? = nil, _ label: String) {
        #expect(actual.count == expected.count, "\(label): \(actual.count) values, expected \(expected.count)")
        let range = scale ?? ((expected.max() ?? 0) - (expected.min() ?? 0))
        let bound = tolerance * max(range, 1e-9)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= bound, "\(label): max |Δ| \(worst) > \(bound)")
    }

    static func expectClose(_ actual: Double?, _ expected: Double?, bound: Double, _ label: String) {
        switch (actual, expected) {
        case (nil, nil): break
        case (let a?, let b?): #expect(abs(a - b) <= bound, "\(label): \(a) vs \(b)")
        default: Issue.record("\(label): \(String(describing: actual)) vs \(String(describing: expected))")
        }
    }

    /// One order's curves, areas, comprehensiveness and sufficiency against the reference's `entry`.
    static func expectFaithfulness(_ actual: OrderEvaluation, _ entry: [String: Any], _ label: String) {
        for (kind, values, auc) in [
            ("deletion", actual.deletion.values, actual.deletion.auc),
            ("insertion", actual.insertion.values, actual.insertion.auc)
        ] {
            let expected = numbers(entry["\(kind)_curve"])
            let range = (expected.max() ?? 0) - (expected.min() ?? 0)
            expectClose(values, expected, "\(label) \(kind) curve")
            expectClose(
                auc, (entry["\(kind)_auc"] as! Double), bound: tolerance * max(range, 1e-9), "\(label) \(kind) AUC")
        }
        let range = numbers(entry["deletion_curve"]).max()! - numbers(entry["deletion_curve"]).min()!
        let insertionRange = numbers(entry["insertion_curve"]).max()! - numbers(entry["insertion_curve"]).min()!
        let bound = tolerance * max(range, insertionRange, 1e-9)
        for (key, expected) in entry["comprehensiveness"] as! [String: Double] {
            expectClose(
                actual.comprehensiveness[Int(key)!], expected, bound: bound, "\(label) comprehensiveness \(key)")
        }
        for (key, expected) in entry["sufficiency"] as! [String: Double] {
            expectClose(actual.sufficiency[Int(key)!], expected, bound: bound, "\(label) sufficiency \(key)")
        }
    }

    @Test("scores, curves, areas, comprehensiveness, sufficiency, agreement and stability", arguments: models)
    func evaluation(name: String) throws {
        let golden = try Golden.load(name), model = try AnalysisFixtures.model(name)
        let ids = golden.ids, n = ids.count
        let trace = try model.forward(tokens: ids)
        let e = try ExplanationEvaluation.evaluate(
            model: model, trace: trace, target: golden.target, parameters: golden.parameters,
            variant: golden["variant"] as? [Int], workers: 2)
        let methods = golden.object("methods")
        #expect(abs(e.value - (golden["f"] as! Double)) <= 1e-5 * max(1, abs(e.value)), "\(name) f(E)")
        #expect(abs(e.baselineValue - (golden["f_baseline"] as! Double)) <= 1e-5, "\(name) f(E')")
        for m in e.methods {
            let entry = methods[m.method.rawValue] as! [String: Any], label = "\(name) \(m.method.rawValue)"
            let expected = Self.numbers(entry["scores"])
            Self.expectClose(m.scores, expected, scale: expected.map(abs).max()!, "\(label) scores")
            let order = entry["order"] as! [Int]
            if entry["min_gap"] as! Double >= Self.decided {
                #expect(m.faithfulness.order == order, "\(label): order \(m.faithfulness.order) vs \(order)")
            }
            if m.faithfulness.order == order { Self.expectFaithfulness(m.faithfulness, entry, label) }
        }
        // The random orders: the same permutations from the same seeds, and their curves.
        let random = golden["random"] as! [[String: Any]]
        #expect(e.random.map(\.seed) == random.map { UInt64($0["seed"] as! Int) })
        for (actual, entry) in zip(e.random, random) {
            #expect(actual.evaluation.order == entry["order"] as! [Int], "\(name) random seed \(actual.seed)")
            #expect(SeededOrders.permutation(count: n, seed: actual.seed) == actual.evaluation.order)
            Self.expectFaithfulness(actual.evaluation, entry, "\(name) random seed \(actual.seed)")
        }
        try Self.expectAgreement(e, golden, name)
        try Self.expectStability(e, golden, name)
    }

    /// Every method's curves from the reference's own orders: the curve passes checked apart from the scores.
    @Test("curves of the reference's orders", arguments: models)
    func curvesOfReferenceOrders(name: String) throws {
        let golden = try Golden.load(name), model = try AnalysisFixtures.model(name)
        let methods = golden.object("methods")
        let entries = EvaluationMethod.allCases.map { methods[$0.rawValue] as! [String: Any] }
        for scheduling in [PassScheduling(), PassScheduling(mode: .shared, batchRows: 40)] {
            let curves = try OrderEvaluation.evaluate(
                model: model, tokens: golden.ids, target: golden.target, baseline: .zero,
                orders: entries.map { $0["order"] as! [Int] }, workers: 2, scheduling: scheduling)
            for (method, (actual, entry)) in zip(EvaluationMethod.allCases, zip(curves, entries)) {
                Self.expectFaithfulness(actual, entry, "\(name) \(method.rawValue) (\(scheduling.mode))")
            }
        }
    }

    static func expectAgreement(_ e: ExplanationEvaluation, _ golden: Golden, _ name: String) throws {
        let a = golden.object("agreement"), methods = golden.object("methods")
        let names = a["methods"] as! [String]
        #expect(e.agreement.methods.map(\.rawValue) == names)
        #expect(e.agreement.k == a["k"] as! Int)
        let referenceScores = names.map { numbers((methods[$0] as! [String: Any])["scores"]) }
        let decided = names.map { (methods[$0] as! [String: Any])["min_gap"] as! Double >= Self.decided }
        let rho = (a["spearman"] as! [Any]).map(optionals), overlap = (a["overlap"] as! [Any]).map(numbers)
        for i in names.indices {
            for j in names.indices {
                let label = "\(name) agreement \(names[i]) × \(names[j])"
                // The rank functions on the reference's own scores.
                let onReference = i == j ? 1 : RankStatistics.spearman(referenceScores[i], referenceScores[j])
                expectClose(onReference, rho[i][j], bound: 1e-9, "\(label) ρ of the reference scores")
                #expect(
                    RankStatistics.topKOverlap(referenceScores[i], referenceScores[j], k: e.agreement.k)
                        == overlap[i][j], "\(label) overlap of the reference scores")
                // End to end, where both orders are decided.
                if decided[i] && decided[j] {
                    expectClose(e.agreement.spearman[i][j], rho[i][j], bound: tolerance, "\(label) ρ")
                    #expect(abs(e.agreement.overlap[i][j] - overlap[i][j]) <= tolerance, "\(label) overlap")
                }
            }
        }
        let consensus = a["consensus"] as! [String: Any]
        let normalized = referenceScores.map(RankStatistics.normalizedRanks)
        let mean = referenceScores[0].indices.map { t in normalized.reduce(0) { $0 + $1[t] } / Double(names.count) }
        expectClose(mean, numbers(consensus["scores"]), scale: 1, "\(name) consensus of the reference scores")
        if decided.allSatisfy({ $0 }) {
            expectClose(e.agreement.consensus.scores, numbers(consensus["scores"]), scale: 1, "\(name) consensus")
            #expect(e.agreement.consensus.order == consensus["order"] as! [Int], "\(name) consensus order")
            for (actual, expected) in zip(e.agreement.consensus.spearman, optionals(consensus["spearman"])) {
                expectClose(actual, expected, bound: tolerance, "\(name) ρ against the consensus")
            }
        }
    }

    static func expectStability(_ e: ExplanationEvaluation, _ golden: Golden, _ name: String) throws {
        let s = golden.object("stability"), methods = golden.object("methods")
        let mu = s["mean_norm"] as! Double
        #expect(abs(e.stability.meanEmbeddingNorm - mu) <= 1e-6 * mu, "\(name) mean embedding norm")
        for (seed, first) in s["normals"] as! [String: Any] {
            let z = SeededOrders.gaussian(count: 8, seed: UInt64(seed)!)
            #expect(zip(z, numbers(first)).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(name) normals of seed \(seed)")
        }
        let noise = s["noise"] as! [String: Any], variant = s["variant"] as! [String: Any]
        let noiseScores = s["noise_scores"] as! [String: Any], variantScores = s["variant_scores"] as! [String: Any]
        let noiseGap = s["noise_min_gap"] as! [String: Double], variantGap = s["variant_min_gap"] as! [String: Double]
        for m in e.stability.methods {
            let key = m.method.rawValue, label = "\(name) stability \(key)"
            let prompt = numbers((methods[key] as! [String: Any])["scores"])
            let promptDecided = (methods[key] as! [String: Any])["min_gap"] as! Double >= decided
            let expected = optionals(noise[key])
            for (i, copy) in (noiseScores[key] as! [Any]).map(numbers).enumerated() {
                expectClose(RankStatistics.spearman(prompt, copy), expected[i], bound: 1e-9, "\(label) ρ on reference")
            }
            #expect(m.noise.count == expected.count, "\(label): copies")
            if promptDecided && noiseGap[key]! >= decided {
                for (actual, wanted) in zip(m.noise, expected) {
                    expectClose(actual, wanted, bound: tolerance, "\(label) ρ under noise")
                }
            }
            let wanted = variant[key] as? Double
            expectClose(
                RankStatistics.spearman(prompt, numbers(variantScores[key])), wanted, bound: 1e-9,
                "\(label) variant ρ on reference")
            if promptDecided && variantGap[key]! >= decided {
                expectClose(m.variant, wanted, bound: tolerance, "\(label) variant ρ")
            }
        }
    }
}
