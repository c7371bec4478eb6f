import Analysis
import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers
import Transformer

/// The checkpoint series built from the committed checkpoint directories and prompt file (each checkpoint loaded in
/// turn, the prompts tokenized by its own tokenizer), its JSON and its standalone HTML page.
@Suite("Checkpoint series reports")
struct CheckpointSeriesReportTests {
    static let root = Fixtures.root.appendingPathComponent("checkpoints", isDirectory: true)
    static let names = ["step-0000", "step-0050", "step-0100", "step-0200", "step-0400"]

    static func source(_ url: URL, name: String? = nil) -> CheckpointSource {
        CheckpointSource(name: name ?? url.lastPathComponent) {
            (try ModelLoader.load(url), try TokenizerLoader.load(url))
        }
    }

    static var sources: [CheckpointSource] {
        names.map { source(root.appendingPathComponent("tiny-train/\($0)", isDirectory: true)) }
    }

    static func prompts() throws -> [String] {
        try String(contentsOf: root.appendingPathComponent("prompts.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
    }

    static var golden: [String: Any] {
        let data = try! Data(contentsOf: Fixtures.golden("checkpoints-tiny-train.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test("the series over the committed checkpoints: progress, the reference's numbers, JSON and an offline page")
    func series() throws {
        let prompts = try Self.prompts()
        #expect(prompts == Self.golden["prompts"] as! [String])
        var seen: [CheckpointSeriesProgress] = []
        let report = try CheckpointSeriesBuilder().build(
            Self.sources, prompts: prompts, progress: { seen.append($0) })
        let total = 5 * 4 * (1 + 2 * 4 + 2)
        #expect(seen.count == total && seen.last?.done == total && seen.allSatisfy { $0.total == total })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.done + 1 == $1.done })
        #expect(seen.map(\.checkpointName).first == "step-0000" && seen.last?.checkpoint == 4)
        #expect(seen.last?.prompt == 3)

        // The prompts tokenize to the reference's ids, so the numbers are the golden's.
        let expected = Self.golden["checkpoints"] as! [[String: Any]]
        let ids = (Self.golden["token_ids"] as! [[Any]]).map { $0.count }
        for (c, e) in zip(report.series.checkpoints, expected) {
            #expect(c.name == e["name"] as! String)
            #expect(c.prompts.map(\.tokens) == ids)
            let loss = (e["loss"] as! NSNumber).doubleValue
            #expect(abs(c.loss - loss) <= 1e-4 * loss, "\(c.name) loss \(c.loss) vs \(loss)")
        }

        let json = try JSONSerialization.jsonObject(with: CheckpointSeriesJSON.data(report)) as! [String: Any]
        #expect(
            Set(json.keys)
                == [
                    "architecture", "layers", "heads_per_layer", "created", "seconds", "options", "prompts",
                    "checkpoints", "trends", "class_changes", "first_to_last"
                ])
        let checkpoints = json["checkpoints"] as! [[String: Any]]
        #expect(checkpoints.count == 5)
        #expect(
            Set(checkpoints[0].keys)
                == [
                    "name", "model_type", "parameters", "loss", "positions", "sink_share", "settled_layers",
                    "mean_settled_layer", "anomaly_counts", "redundant_heads", "seconds", "prompts", "heads"
                ])
        let head = (checkpoints[4]["heads"] as! [[String: Any]])[6]
        #expect(head["class"] as! String == "vertical" && head["ablation_nats"] is NSNumber)
        let trends = json["trends"] as! [String: Any]
        #expect(Set(trends.keys) == Set(CheckpointTrend.names))
        let loss = trends["loss"] as! [String: Any]
        #expect(loss["direction"] as! String == "falling" && (loss["values"] as! [Any]).count == 5)
        let changes = json["class_changes"] as! [[String: Any]]
        #expect(changes.contains { $0["label"] as! String == "L1H2: mixed → vertical" })
        #expect(changes.first?["from_checkpoint"] as? String == "step-0000")

        let html = CheckpointSeriesHTML.page(report)
        #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
        #expect(!html.lowercased().contains("<script"), "no script")
        for external in ["http://", "https://", "src=", "href=", "@import", "url("] {
            #expect(!html.contains(external), "nothing loaded from elsewhere: \(external)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= CheckpointTrend.names.count + 7 + 5)
        #expect(
            html.contains("L1H2: mixed → vertical (step-0100 → step-0200)") || html.contains("L1H2: mixed → vertical"))
        #expect(html.contains("<b>loss</b> falls at every checkpoint"))
        #expect(html.contains("<b>max_previous_token</b> rises at every checkpoint"))
    }

    @Test("a checkpoint of another shape is refused before it is measured, naming it")
    func mismatchedArchitecture() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = Self.root.appendingPathComponent("tiny-train/step-0050", isDirectory: true)
        let copy = directory.appendingPathComponent("two-heads", isDirectory: true)
        try FileManager.default.copyItem(at: original, to: copy)
        let config = copy.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 2")
            .write(to: config, atomically: true, encoding: .utf8)
        var measured = Set<String>()
        do {
            _ = try CheckpointSeriesBuilder().build(
                [Self.sources[0], Self.source(copy), Self.sources[2]], prompts: try Self.prompts(),
                progress: { measured.insert($0.checkpointName) })
            Issue.record("a series of two shapes was measured")
        } catch let error as ReportError {
            #expect(error.parameter == "checkpoints")
            #expect(
                error.message
                    == "checkpoint \"two-heads\" has 2 layers × 2 heads, but \"step-0000\" has 2 layers × 4 heads: "
                    + "every checkpoint of a series must be the same architecture")
        }
        #expect(measured == ["step-0000"])
    }

    @Test("bad requests: one checkpoint, no prompts, a one-token prompt, a checkpoint that cannot load; cancel")
    func errors() throws {
        let builder = CheckpointSeriesBuilder()
        func message(_ body: () throws -> Void) -> ReportError? {
            do { try body() } catch let error as ReportError { return error } catch { return nil }
            return nil
        }
        let one = message { _ = try builder.build([Self.sources[0]], prompts: ["The keeper"]) }
        #expect(one?.parameter == "checkpoints" && one?.message.contains("at least 2 checkpoints") == true)
        #expect(message { _ = try builder.build(Self.sources, prompts: []) }?.parameter == "prompts")
        let short = message { _ = try builder.build(Self.sources, prompts: ["The keeper", "T"]) }
        #expect(
            short?.message
                == "prompt 2 has 1 token under checkpoint \"step-0000\": a prompt needs at least 2 tokens to have a "
                + "next-token loss")
        let missing = Self.source(Self.root.appendingPathComponent("no-such-checkpoint"))
        let load = message { _ = try builder.build([Self.sources[0], missing], prompts: ["The keeper"]) }
        #expect(load?.parameter == "checkpoints")
        #expect(load?.message.hasPrefix("checkpoint \"no-such-checkpoint\" cannot be loaded: ") == true)
        var passes = 0
        #expect(throws: AnalysisCancelled.self) {
            _ = try builder.build(
                Self.sources, prompts: ["The keeper"], shouldContinue: { passes < 15 },
                progress: { passes = $0.done })
        }
        #expect(passes == 15)
    }
}
