import Analysis
import Foundation
import Testing
import TestSupport
import Transformer

/// The checkpoint series on the committed tiny checkpoints (`Tests/Fixtures/checkpoints/tiny-train/`, made by
/// `scripts/train_checkpoints.py`) against the float64 reference `tools/references/make_checkpoint_fixtures.py`
/// (golden `checkpoints-tiny-train.json`, same token ids). The model runs in float32: loss, sink share and metric
/// means within 1e-4 relative (+ 1e-6), ablation costs within 1e-4 relative (+ 1e-5 nats); classes, class votes,
/// settled layers, anomaly counts, redundant heads and class changes exactly.
@Suite("Checkpoint series")
struct CheckpointSeriesTests {
    static var golden: [String: Any] {
        let data = try! Data(contentsOf: Fixtures.golden("checkpoints-tiny-train.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static var goldenCheckpoints: [[String: Any]] { golden["checkpoints"] as! [[String: Any]] }

    static func directory(_ name: String) -> URL {
        Fixtures.root.appendingPathComponent("checkpoints/tiny-train/\(name)", isDirectory: true)
    }

    static func tokenIDs() -> [[Int]] { (golden["token_ids"] as! [Any]).map { AnomalyTests.ints($0) } }

    static func measure(_ name: String, parameters: CheckpointParameters = .init()) throws -> CheckpointMeasurement {
        try CheckpointMeasurement.measure(
            name: name, model: try ModelLoader.load(directory(name)), prompts: tokenIDs(), parameters: parameters)
    }

    static func measurements() throws -> [CheckpointMeasurement] {
        try goldenCheckpoints.map { try measure($0["name"] as! String) }
    }

    static func close(_ a: Double, _ e: Double, relative: Double = 1e-4, absolute: Double = 1e-6) -> Bool {
        abs(a - e) <= absolute + relative * abs(e)
    }

    @Test("every checkpoint's numbers against the float64 reference")
    func golden() throws {
        var worstMetric = 0.0, worstLoss = 0.0, worstNats = 0.0
        for expected in Self.goldenCheckpoints {
            let name = expected["name"] as! String
            let c = try Self.measure(name)
            let loss = (expected["loss"] as! NSNumber).doubleValue
            #expect(Self.close(c.loss, loss), "\(name) loss \(c.loss) vs \(loss)")
            worstLoss = max(worstLoss, abs(c.loss - loss) / loss)
            #expect(c.positions == (expected["positions"] as! NSNumber).intValue)
            let sink = (expected["sink_share"] as! NSNumber).doubleValue
            #expect(Self.close(c.sinkShare, sink), "\(name) sink share \(c.sinkShare) vs \(sink)")
            #expect(c.settledLayers == AnomalyTests.ints(expected["settled_layers"]), "\(name) settled layers")
            let counts = expected["anomaly_counts"] as! [String: Any]
            for kind in AnomalyCounts.kinds {
                #expect(
                    c.anomalyCounts.count(of: kind) == (counts[kind] as! NSNumber).intValue, "\(name) \(kind) count")
            }
            let redundant = (expected["redundant_heads"] as! [Any]).map { AnomalyTests.ints($0) }
            #expect(c.redundantHeads?.map { [$0.layer, $0.head] } == redundant, "\(name) redundant heads")
            let heads = expected["heads"] as! [[String: Any]]
            #expect(heads.count == c.heads.count)
            for (e, h) in zip(heads, c.heads) {
                #expect(h.layer == (e["layer"] as! NSNumber).intValue && h.head == (e["head"] as! NSNumber).intValue)
                #expect(h.patternClass.rawValue == e["class"] as! String, "\(name) \(h.label) class")
                #expect(h.classPrompts == (e["class_prompts"] as! NSNumber).intValue, "\(name) \(h.label) votes")
                for metric in HeadMetrics.metricNames {
                    let v = (e[metric] as! NSNumber).doubleValue
                    #expect(Self.close(h.mean(metric), v), "\(name) \(h.label) \(metric) \(h.mean(metric)) vs \(v)")
                    worstMetric = max(worstMetric, abs(h.mean(metric) - v) / (abs(v) + 1e-6))
                }
                let nats = (e["ablation_nats"] as! NSNumber).doubleValue
                #expect(
                    Self.close(h.ablationNats!, nats, absolute: 1e-5),
                    "\(name) \(h.label) ablation \(h.ablationNats!) vs \(nats)")
                worstNats = max(worstNats, abs(h.ablationNats! - nats))
            }
        }
        print(
            "checkpoint series vs float64: max rel loss \(worstLoss), max rel metric \(worstMetric), "
                + "max |Δ ablation nats| \(worstNats)")
    }

    @Test("the trends are real and the reference reproduces them: the loss falls, previous-token attention grows")
    func trends() throws {
        let series = try CheckpointSeries(try Self.measurements())
        let expected = Self.golden["trends"] as! [String: Any]
        #expect(series.trends.map(\.name) == CheckpointTrend.names)
        for t in series.trends {
            let values = AnomalyTests.doubles(expected[t.name])
            #expect(values.count == t.values.count)
            for (a, e) in zip(t.values, values) { #expect(Self.close(a, e), "trend \(t.name): \(a) vs \(e)") }
        }
        // Training makes these move one way at every checkpoint, in Swift and in the reference alike.
        for (name, direction) in [
            ("loss", CheckpointTrend.Direction.falling), ("max_previous_token", .rising),
            ("mean_normalized_entropy", .falling)
        ] {
            #expect(series.trend(name)?.direction == direction, "\(name): \(series.trend(name)!.values)")
            #expect(CheckpointTrend(name: name, values: AnomalyTests.doubles(expected[name])).direction == direction)
        }
        let loss = series.trend("loss")!.values
        #expect(loss.first! > 6 && loss.last! < 1, "the loss falls from about log(641) to below 1 nat: \(loss)")
        #expect(series.trend("uniform_attention")!.values.first! > series.trend("uniform_attention")!.values.last!)
        #expect(series.trend("dead_head")!.direction == .flat)
    }

    @Test("the heads whose class changed, between consecutive checkpoints and first to last")
    func classChanges() throws {
        let series = try CheckpointSeries(try Self.measurements())
        func labels(_ key: String) -> [String] {
            (Self.golden[key] as! [[String: Any]]).map { x in
                "\(x["head"] as! String): \(x["from"] as! String) → \(x["to"] as! String) "
                    + "(\(x["from_checkpoint"] as! String) → \(x["to_checkpoint"] as! String))"
            }
        }
        #expect(series.classChanges.map(\.description) == labels("class_changes"))
        #expect(series.firstToLast.map(\.description) == labels("first_to_last"))
        #expect(series.classChanges.contains { $0.label == "L1H2: mixed → vertical" })
        #expect(series.firstToLast.count == 8 && series.firstToLast.allSatisfy { $0.from == .uniform })
    }

    @Test("the loss of a run equals −log softmax of its own logits, position by position")
    func loss() throws {
        let model = try ModelLoader.load(Self.directory("step-0400"))
        let ids = Self.tokenIDs()[2]
        let trace = try model.forward(tokens: ids, options: .allLogits(tokens: ids.count))
        let loss = try PromptLoss.measure(model: model, trace: trace)
        #expect(loss.nats.count == ids.count - 1)
        for q in 0..<(ids.count - 1) {
            let expected = -AblationEffects.logSoftmax(Array(trace.logits(at: q)!))[ids[q + 1]]
            #expect(abs(loss.nats[q] - expected) <= 1e-5 * max(1, expected), "position \(q)")
        }
        #expect(PromptLoss(nats: []).mean.isNaN)
    }

    @Test("a class vote: the most frequent class, ties to the earlier class; none is mixed with no vote")
    func vote() {
        #expect(PatternClass.vote([.mixed, .uniform, .mixed]) == (.mixed, 2))
        #expect(PatternClass.vote([.mixed, .uniform, .previousToken, .uniform, .previousToken]) == (.previousToken, 2))
        #expect(PatternClass.vote([]) == (.mixed, 0))
    }

    @Test("errors: too few checkpoints, another shape (naming the checkpoint), short or no prompts; cancelling stops")
    func errors() throws {
        let c = try Self.measure(
            "step-0000",
            parameters: {
                var p = CheckpointParameters()
                p.ablation = false
                return p
            }())
        #expect(c.redundantHeads == nil && c.heads.allSatisfy { $0.ablationNats == nil })
        #expect(CheckpointTrend.value("redundant_heads", of: c).isNaN)
        #expect(throws: CheckpointError.tooFewCheckpoints(1)) { try CheckpointSeries([c]) }
        let i = c.info
        let other = ModelInfo(
            architecture: i.architecture, modelType: i.modelType, layers: 3, dModel: i.dModel, heads: i.heads,
            kvHeads: i.kvHeads, headDim: i.headDim, ffnDim: i.ffnDim, vocabSize: i.vocabSize,
            contextLength: i.contextLength, parameters: i.parameters,
            nonEmbeddingParameters: i.nonEmbeddingParameters, tiedEmbeddings: i.tiedEmbeddings)
        let bigger = CheckpointMeasurement(
            name: "deeper", info: other, prompts: c.prompts, heads: c.heads, loss: c.loss, positions: c.positions,
            sinkShare: c.sinkShare, anomalyCounts: c.anomalyCounts, redundantHeads: nil, seconds: 0)
        do {
            _ = try CheckpointSeries([c, bigger])
            Issue.record("a series of two shapes was accepted")
        } catch {
            #expect(
                error.description
                    == "checkpoint \"deeper\" has 3 layers × 4 heads, but \"step-0000\" has 2 layers × 4 heads: "
                    + "every checkpoint of a series must be the same architecture")
        }
        let model = try ModelLoader.load(Self.directory("step-0000"))
        #expect(throws: CheckpointError.promptTooShort(prompt: 2, tokens: 1, checkpoint: "x")) {
            try CheckpointMeasurement.measure(name: "x", model: model, prompts: [[1, 2], [3]])
        }
        #expect(throws: CheckpointError.noPrompts) {
            try CheckpointMeasurement.measure(name: "x", model: model, prompts: [])
        }
        var passes = 0
        #expect(throws: AnalysisCancelled.self) {
            try CheckpointMeasurement.measure(
                name: "x", model: model, prompts: Self.tokenIDs(), shouldContinue: { passes < 3 },
                progress: { passes = $0 })
        }
        #expect(passes == 3)
    }
}
