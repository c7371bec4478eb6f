import Analysis
import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

/// `glassbox check`'s figures on the fixture models, each against an independent computation from the trace.
@Suite("Check measurements and evaluation")
struct CheckMeasurementTests {
    static func load(_ name: String) throws -> (DecoderModel, any Tokenizer) {
        let url = Fixtures.model(name)
        return (try ModelLoader.load(url), try TokenizerLoader.load(url))
    }

    /// Softmax in Double, written out here rather than taken from the code under test.
    static func softmax(_ logits: ArraySlice<Float>) -> [Double] {
        let m = Double(logits.max()!)
        let e = logits.map { exp(Double($0) - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    @Test("every figure equals its definition computed from the trace", arguments: ["tiny-llama", "tiny-gemma3"])
    func figures(_ name: String) throws {
        let (model, tokenizer) = try Self.load(name)
        let metrics = Set(CheckMetric.allCases).subtracting([.klToBaseline])
        let measurer = try CheckMeasurer(model: model, tokenizer: tokenizer, metrics: metrics)
        let prompt = CheckPrompt(line: 4, text: "The capital of France is a city with", expected: " many people")
        let m = try measurer.measure(prompt)

        let run = try PromptRunner(model: model, tokenizer: tokenizer).run(prompt.text)
        #expect(m.tokens == run.ids)
        let anomalies = AttentionAnomalies(
            trace: run.trace, headOutputNorms: try HeadOutputNorms(model: model, trace: run.trace))
        #expect(m.values[.deadHeads] == Double(anomalies.deadHeads.count))
        #expect(m.values[.uniformHeads] == Double(anomalies.uniformAttention.count))
        #expect(m.values[.highAttentionHits] == Double(anomalies.highAttention.map(\.hits.count).reduce(0, +)))
        #expect(m.values[.outlierActivations] == Double(anomalies.outlierActivations.count))

        // Sink share: the mean over heads of the mean over rows q ≥ 1 of A[q, 0], straight from the patterns.
        let n = run.ids.count
        var shares: [Double] = []
        for l in 0..<model.info.layers {
            for h in 0..<model.info.heads {
                let a = Array(run.trace.attention(layer: l, head: h))
                shares.append((1..<n).map { Double(a[$0 * n]) }.reduce(0, +) / Double(n - 1))
            }
        }
        let sink = shares.reduce(0, +) / Double(shares.count)
        #expect(abs(m.values[.sinkShare]! - sink) < 1e-12, "\(m.values[.sinkShare]!) vs \(sink)")

        let logits = run.trace.logits(at: n - 1)!
        let p = Self.softmax(logits)
        let top = p.indices.max { p[$0] < p[$1] }!
        #expect(abs(m.values[.top1Probability]! - p[top]) < 1e-12)
        #expect(m.top1.id == top && m.top1.display == tokenizer.displayString(for: top))
        let entropy = -p.filter { $0 > 0 }.map { $0 * log($0) }.reduce(0, +)
        #expect(abs(m.values[.nextTokenEntropy]! - entropy) < 1e-9, "\(m.values[.nextTokenEntropy]!) vs \(entropy)")

        let joint = try tokenizer.encode(prompt.text + prompt.expected!)
        #expect(Array(joint.prefix(n)) == run.ids, "the fixture's split keeps the prompt's tokens")
        let expected = joint[n]
        #expect(m.expectedToken?.id == expected)
        #expect(abs(m.values[.expectedProbability]! - p[expected]) < 1e-12)
        let rank = 1 + p.indices.filter { p[$0] > p[expected] || (p[$0] == p[expected] && $0 < expected) }.count
        #expect(m.values[.expectedRank] == Double(rank))
        #expect(m.values[.expectedIsTop1] == (expected == top ? 1 : 0))
        #expect(m.values[.klToBaseline] == nil && m.klDivergences.isEmpty)

        // Only what the rules use is measured.
        let few = try CheckMeasurer(model: model, tokenizer: tokenizer, metrics: [.top1Probability]).measure(prompt)
        #expect(Set(few.values.keys) == [.top1Probability])
        let plain = try measurer.measure(CheckPrompt(line: 1, text: prompt.text))
        #expect(plain.values[.expectedProbability] == nil && plain.expectedToken == nil)
        #expect(plain.values[.deadHeads] == m.values[.deadHeads])
    }

    @Test("the expected token falls back to the continuation alone when a token spans the boundary")
    func expectedFallback() throws {
        let (_, tokenizer) = try Self.load("tiny-gpt2")
        let ids = try tokenizer.encode("hello wor")
        let joint = try tokenizer.encode("hello world")
        let alone = try tokenizer.encode("ld")
        let id = try CheckMeasurement.expectedToken(prompt: "hello wor", ids: ids, expected: "ld", tokenizer: tokenizer)
        if joint.count > ids.count && Array(joint.prefix(ids.count)) == ids {
            #expect(id == joint[ids.count])
        } else {
            #expect(id == alone[0])
        }
        let direct = try CheckMeasurement.expectedToken(
            prompt: "The cat", ids: try tokenizer.encode("The cat"), expected: " sat", tokenizer: tokenizer)
        #expect(direct == (try tokenizer.encode("The cat sat")).dropFirst(try tokenizer.encode("The cat").count).first)
    }

    /// `KL(p̃ || q̃)` over the display strings both vocabularies have, each distribution summed per string and
    /// renormalised over the shared strings, written out here.
    static func sharedKL(
        _ p: [Double], _ pTokenizer: any Tokenizer, _ q: [Double], _ qTokenizer: any Tokenizer
    ) -> Double {
        func byString(_ probabilities: [Double], _ tokenizer: any Tokenizer) -> [String: Double] {
            var sums: [String: Double] = [:]
            for (id, value) in probabilities.enumerated() {
                sums[tokenizer.displayString(for: id), default: 0] += value
            }
            return sums
        }
        let a = byString(p, pTokenizer), b = byString(q, qTokenizer)
        let shared = Set(a.keys).intersection(b.keys)
        let ma = shared.reduce(0) { $0 + a[$1]! }, mb = shared.reduce(0) { $0 + b[$1]! }
        return shared.reduce(0.0) { total, s in
            let x = a[s]! / ma, y = b[s]! / mb
            return x > 0 ? total + x * log(x / y) : total
        }
    }

    @Test(
        "KL to a baseline is taken over the shared vocabulary strings, with the same or another tokenizer",
        arguments: ["tiny-gemma3", "tiny-qwen2"])
    func klDivergence(_ baselineName: String) throws {
        let (model, tokenizer) = try Self.load("tiny-llama")
        let (other, otherTokenizer) = try Self.load(baselineName)
        let measurer = try CheckMeasurer(
            model: model, tokenizer: tokenizer, metrics: [.klToBaseline],
            baselines: [
                CheckBaseline(name: "self", model: model, tokenizer: tokenizer),
                CheckBaseline(name: "other", model: other, tokenizer: otherTokenizer)
            ])
        let text = "Once upon a time"
        let m = try measurer.measure(CheckPrompt(line: 1, text: text))
        #expect(abs(m.klDivergences["self"]!) < 1e-12, "\(m.klDivergences["self"]!)")
        let a = try PromptRunner(model: model, tokenizer: tokenizer).run(text)
        let b = try PromptRunner(model: other, tokenizer: otherTokenizer).run(text)
        let p = Self.softmax(a.trace.logits(at: a.ids.count - 1)!)
        let q = Self.softmax(b.trace.logits(at: b.ids.count - 1)!)
        let kl = Self.sharedKL(p, tokenizer, q, otherTokenizer)
        #expect(kl > 0 && abs(m.klDivergences["other"]! - kl) < 1e-9, "\(m.klDivergences["other"]!) vs \(kl)")
        let rule = CheckRule(number: 1, metric: .klToBaseline, bound: .max(1), baseline: "other")
        #expect(m.value(for: rule) == m.klDivergences["other"])
    }

    @Test("evaluation: passes, failures on either bound, skips without an expected continuation; counts")
    func evaluation() throws {
        let rules = try CheckRules(
            parsing: Array(
                #"""
                {"rules": [{"metric": "dead_heads", "max": 0}, {"metric": "top1_probability", "min": 0.5},
                           {"metric": "expected_probability", "min": 0.01, "name": "paris"}]}
                """#.utf8), source: "r.json")
        let first = CheckMeasurement(
            prompt: CheckPrompt(line: 1, text: "a", expected: " b"), tokens: [1],
            values: [.deadHeads: 0, .top1Probability: 0.25, .expectedProbability: 0.02], top1: (3, "x"))
        let second = CheckMeasurement(
            prompt: CheckPrompt(line: 2, text: "c"), tokens: [2],
            values: [.deadHeads: 2, .top1Probability: .nan], top1: (3, "x"))
        let result = CheckResult(model: "m", rules: rules, measurements: [first, second])
        #expect(result.prompts[0].outcomes.map(\.status) == [.passed, .failed, .passed])
        #expect(result.prompts[1].outcomes.map(\.status) == [.failed, .failed, .skipped])
        #expect(result.tests == 6 && result.failures == 3 && result.passes == 2 && result.skips == 1 && result.fired)
        #expect(result.prompts[0].outcomes[1].message == "top1_probability = 0.25, below the min 0.5")
        #expect(result.prompts[1].outcomes[0].message == "dead_heads = 2, above the max 0")
        #expect(result.prompts[1].outcomes[1].message.contains("not a number"))
        #expect(result.prompts[0].outcomes[0].message == "dead_heads = 0 (max 0)")
        let table = CheckTable.text(result)
        #expect(table.split(separator: "\n").count == 8, "\(table)")
        #expect(table.hasSuffix("6 checks (3 rules × 2 prompts): 2 passed, 3 failed, 1 skipped"))
        #expect(table.contains("FAIL    top1_probability >= 0.5  1       0.25   min 0.5    a"), "\(table)")
        #expect(table.contains("SKIP    paris                    2       -      min 0.01   c"), "\(table)")

        let json = try JSONSerialization.jsonObject(with: CheckJSON.data(result)) as! [String: Any]
        #expect(json["fired"] as? Bool == true && json["tests"] as? Int == 6 && json["failed"] as? Int == 3)
        let prompts = json["prompts"] as! [[String: Any]]
        let results = prompts[1]["results"] as! [[String: Any]]
        #expect(results[0]["value"] as? Double == 2 && results[0]["max"] as? Double == 0)
        #expect(results[0]["passed"] as? Bool == false && results[2]["status"] as? String == "skipped")
        #expect(results[1]["value"] is NSNull && results[2]["passed"] is NSNull)
        #expect((prompts[0]["results"] as! [[String: Any]])[2]["min"] as? Double == 0.01)
    }
}
