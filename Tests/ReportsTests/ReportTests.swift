import Analysis
import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

@Suite("Reports over prompt sets")
struct ReportTests {
    static let prompts = ["The capital of France is", "Once upon a time there was a", "def main():\n    return"]

    static func builder(_ name: String = "tiny-llama", ablation: Bool = true) throws -> ReportBuilder {
        let url = Fixtures.model(name)
        var options = ReportOptions()
        options.ablation = ablation
        options.maxPrompts = 4
        return ReportBuilder(
            modelName: name, model: try ModelLoader.load(url), tokenizer: try TokenizerLoader.load(url),
            options: options)
    }

    @Test("aggregates are the means of the per-prompt measurements; progress counts every pass")
    func aggregation() throws {
        let builder = try Self.builder()
        var seen: [Int] = []
        let report = try builder.build(Self.prompts) { done, total, _ in
            seen.append(done)
            #expect(total == builder.totalPasses(Self.prompts))
        }
        let info = builder.model.info
        #expect(seen == Array(1...(Self.prompts.count * (1 + info.layers * info.heads + info.layers))))
        #expect(report.prompts.count == 3 && report.heads.count == info.layers * info.heads)
        for head in report.heads {
            let per = report.prompts.map { $0.metrics[head.layer][head.head] }
            let entropy = per.map(\.normalizedEntropy).reduce(0, +) / 3
            #expect(abs(head.means["normalized_entropy"]! - entropy) < 1e-12)
            let nats = report.prompts.map {
                abs($0.ablation!.heads[head.layer * info.heads + head.head].deltaLogProbability)
            }
            #expect(abs(head.ablationNats! - nats.reduce(0, +) / 3) < 1e-12)
            let votes = per.filter { $0.patternClass == head.patternClass }.count
            #expect(
                votes == head.classCount
                    && per.allSatisfy { p in per.filter { $0.patternClass == p.patternClass }.count <= votes })
        }
        for layer in report.layers {
            let cos = report.prompts.flatMap { $0.flow[layer.layer].cosine }
            #expect(abs(layer.meanCosine - cos.reduce(0, +) / Double(cos.count)) < 1e-12)
            #expect(layer.redundant == (layer.meanCosine > 0.99 && layer.meanRelativeUpdate < 0.05))
        }
        // Every prompt's measurements are those of its own forward pass.
        let first = report.prompts[0]
        let trace = try builder.model.forward(tokens: first.tokens)
        #expect(try HeadMetrics.all(trace: trace) == first.metrics)
        #expect(report.clusters?.heads.count == report.heads.count)
    }

    @Test("JSON and the standalone HTML page")
    func outputs() throws {
        let report = try Self.builder("tiny-gemma3").build(Self.prompts) { _, _, _ in }
        let json = try JSONSerialization.jsonObject(with: ReportJSON.data(report)) as! [String: Any]
        #expect((json["prompts"] as! [Any]).count == 3)
        #expect((json["heads"] as! [Any]).count == report.heads.count)
        #expect((json["layers_flow"] as! [Any]).count == report.layers.count)
        #expect(json["recommendations"] is [Any])
        let html = ReportHTML.page(report)
        #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4)
        #expect(html.contains("The capital of France is") && html.contains("def main():"))
    }

    @Test("bad prompt sets are errors naming the problem")
    func badInput() throws {
        let builder = try Self.builder(ablation: false)
        #expect(throws: ReportError("the prompt set is empty: give at least one prompt")) { try builder.validate([]) }
        #expect(throws: ReportError("5 prompts is more than the limit of 4 per report")) {
            try builder.validate(["a", "b", "c", "d", "e"])
        }
        #expect(throws: ReportError("prompt 2 is empty")) { try builder.validate(["a", ""]) }
    }

    @Test("cancelling stops between passes")
    func cancel() throws {
        let builder = try Self.builder()
        var asked = 0
        #expect(throws: AnalysisCancelled.self) {
            try builder.build(
                Self.prompts,
                shouldContinue: {
                    asked += 1
                    return asked < 5
                }
            ) { _, _, _ in }
        }
        #expect(asked == 5)
    }

    @Test("recommendation rules fire on their thresholds and cite the measurement")
    func rules() {
        func head(_ l: Int, _ h: Int, entropy: Double, sparsity: Double, first: Double, nats: Double?)
            -> Report.HeadSummary
        {
            Report.HeadSummary(
                layer: l, head: h,
                means: [
                    "normalized_entropy": entropy, "sparsity": sparsity,
                    "first_token": first
                ],
                patternClass: .mixed, classCount: 1, ablationNats: nats, cluster: nil)
        }
        let heads = [
            head(0, 0, entropy: 0.1, sparsity: 0.9, first: 0.7, nats: 0.001),
            head(0, 1, entropy: 0.5, sparsity: 0.2, first: 0.65, nats: 0.5),
            head(1, 0, entropy: 0.3, sparsity: 0.5, first: 0.2, nats: 0.02)
        ]
        let layers = [
            Report.LayerSummary(
                layer: 0, meanCosine: 0.995, meanRelativeUpdate: 0.01, meanAttentionShare: 0.5,
                skipNats: 0.003, redundant: true),
            Report.LayerSummary(
                layer: 1, meanCosine: 0.8, meanRelativeUpdate: 0.4, meanAttentionShare: 0.5,
                skipNats: 1, redundant: false)
        ]
        let rules = Recommendation.rules(
            heads: heads, layers: layers, redundantHeads: [heads[0]], options: ReportOptions())
        #expect(
            rules.map(\.rule) == [
                "concentrated_attention", "sparse_attention", "redundant_layer", "redundant_head",
                "attention_sinks"
            ])
        #expect(rules[0].evidence.map(\.value) == [0.1] && rules[0].evidence[0].threshold == "< 0.2")
        #expect(rules[2].evidence.first?.layer == 0 && rules[2].evidence.first?.value == 0.995)
        #expect(rules[3].evidence.map(\.value) == [0.001])
        #expect(abs(rules[4].evidence[0].value - 2.0 / 3) < 1e-12)
        let quiet = Recommendation.rules(
            heads: [heads[2]], layers: [layers[1]], redundantHeads: [], options: ReportOptions())
        #expect(quiet.isEmpty)
    }
}
