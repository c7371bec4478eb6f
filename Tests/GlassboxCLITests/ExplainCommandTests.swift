import Foundation
import Testing
import TestSupport

/// `glassbox explain` on a fixture model: the JSON's keys and their consistency, the HTML page, and the refusals.
@Suite("glassbox explain")
struct ExplainCommandTests {
    static let model = Fixtures.model("tiny-llama").path
    static let prompt = "The quick brown fox jumps"

    @Test("--json: per method the scores, order, curves, AUCs, comprehensiveness and sufficiency, random orders")
    func json() throws {
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID()).html")
        defer { try? FileManager.default.removeItem(at: html) }
        let result = try CLIProcess.run([
            "explain", "--model", Self.model, "--prompt", Self.prompt, "--methods", "saliency,occlusion",
            "--noise-samples", "2", "--variant", Self.prompt, "--json", "--out", html.path
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let n = try #require(body["tokens"] as? [Any]).count
        let methods = try #require(body["methods"] as? [String: [String: Any]])
        #expect(methods.keys.sorted() == ["occlusion", "saliency"])
        for (name, m) in methods {
            let scores = try #require(m["scores"] as? [Double]), order = try #require(m["order"] as? [Int])
            #expect(scores.count == n && order.sorted() == Array(0..<n), "\(name)")
            let deletion = try #require(m["deletion_curve"] as? [Double])
            let insertion = try #require(m["insertion_curve"] as? [Double])
            #expect(deletion.count == n + 1 && insertion.count == n + 1)
            // The curves share their ends: f(E) and f(E').
            #expect(deletion.first == insertion.last && deletion.last == insertion.first)
            var area = 0.0
            for k in 1...n { area += (deletion[k - 1] + deletion[k]) / 2 }
            let auc = area / Double(n)
            #expect(abs(try #require(m["deletion_auc"] as? Double) - auc) <= 1e-12 * max(1, abs(auc)))
            #expect(m["insertion_auc"] is Double)
            let comprehensiveness = try #require(m["comprehensiveness"] as? [String: Double])
            #expect(comprehensiveness.keys.sorted() == ["10", "20", "50"])
            let top20 = deletion[0] - deletion[(20 * n + 99) / 100]
            #expect(abs(try #require(comprehensiveness["20"]) - top20) <= 1e-12 * max(1, abs(top20)))
            #expect((m["sufficiency"] as? [String: Double])?.keys.sorted() == ["10", "20", "50"])
            let random = try #require(m["random"] as? [String: Any])
            #expect((random["seeds"] as? [Int]) == Array(1...8) && (random["deletion_aucs"] as? [Double])?.count == 8)
        }
        let random = try #require(body["random"] as? [String: Any])
        #expect((random["orders"] as? [[Int]])?.allSatisfy { $0.sorted() == Array(0..<n) } == true)
        let agreement = try #require(body["agreement"] as? [String: Any])
        #expect((agreement["spearman"] as? [[Any]])?.count == 2 && (agreement["overlap"] as? [[Double]])?.count == 2)
        let stability = try #require(body["stability"] as? [String: Any])
        let perMethod = try #require(stability["methods"] as? [String: [String: Any]])
        // The variant is the prompt itself: ρ = 1.
        #expect(perMethod.values.allSatisfy { ($0["noise"] as? [Any])?.count == 2 && $0["variant"] as? Double == 1 })
        let verdict = try #require(body["verdict"] as? String)
        #expect(verdict.contains(String(format: "%.3g", try #require(random["deletion_auc_mean"] as? Double))))
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && page.contains("<svg") && !page.contains("<script"))
    }

    @Test("bad input: a message naming the option and a non-zero exit")
    func badInput() throws {
        for (arguments, fragment) in [
            (["--methods", "ig,lime"], "--methods: unknown method \"lime\""),
            (["--methods", ""], "--methods: the method list is empty"),
            (["--methods", " , "], "--methods: the method list is empty"),
            (["--sigma", "0"], "--sigma must be above 0"), (["--sigma=-0.5"], "--sigma must be above 0"),
            (["--variant", "The quick brown fox jumps over the lazy dog"], "--variant: has"),
            (["--noise-samples=-1"], "--noise-samples")
        ] {
            let result = try CLIProcess.run(["explain", "--model", Self.model, "--prompt", Self.prompt] + arguments)
            #expect(result.status != 0, "expected a non-zero exit for \(arguments)")
            #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
        }
    }
}
