import Analysis
import Foundation
import GlassboxServer
import HTTP
import Testing
import Transformer

/// `GET /api/runs/{id}/lens-grid?from&to`: the whole run's grid, ranges of its columns (computed alone, or sliced
/// from the whole grid once it is there), the anomalies' lens flips from the same grid, and bad ranges.
@Suite("HTTP API: lens grid ranges")
struct LensGridAPITests {
    static func cells(_ body: [String: Any]) -> [[[String: Any]]] { body["cells"] as! [[[String: Any]]] }

    /// The cells' ids, logits and probabilities as written.
    static func values(_ rows: [[[String: Any]]]) -> [[String]] {
        rows.map { $0.map { "\($0["id"]!) \($0["logit"]!) \($0["probability"]!)" } }
    }

    /// Equal ids, logits within `1e-5·max(1, |x|)` and probabilities within `1e-5` relative.
    static func close(_ a: [[[String: Any]]], _ b: [[[String: Any]]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                let (lu, lv) = (u["logit"] as! Double, v["logit"] as! Double)
                let (pu, pv) = (u["probability"] as! Double, v["probability"] as! Double)
                guard u["id"] as! Int == v["id"] as! Int, abs(lu - lv) <= 1e-5 * max(1, abs(lv)),
                    abs(pu - pv) <= 1e-5 * pv + 1e-12
                else { return false }
            }
        }
        return true
    }

    @Test("a range holds the whole grid's columns; anomalies reuse the whole grid; bad ranges are 400s")
    func ranges() throws {
        let server = try ServerFixture()
        let id = try server.run(AnalyticsAPITests.prompt, model: "tiny-llama")
        let (model, trace) = try AnalyticsAPITests.trace(server, id, model: "tiny-llama")
        let n = trace.shape.tokens, L = model.info.layers

        // A range before the whole grid exists is computed alone.
        let early = try json(try server.call("GET", "/api/runs/\(id)/lens-grid?point=mid&from=2&to=4"))
        #expect(early["from"] as? Int == 2 && early["to"] as? Int == 4 && early["layers"] as? Int == L)
        #expect((early["tokens"] as! [String]).count == n)
        #expect(Self.cells(early).count == L && Self.cells(early).allSatisfy { $0.count == 3 })

        let whole = try json(try server.call("GET", "/api/runs/\(id)/lens-grid?point=mid"))
        #expect(whole["from"] as? Int == 0 && whole["to"] as? Int == n - 1)
        let library = try NextTokenTable.lensGrid(model: model, trace: trace, point: .mid, workers: 2)
        #expect(Self.cells(whole).map { $0.map { $0["id"] as! Int } } == library.map { $0.map { $0[0].id } })
        // Computed alone, to float32 rounding (OpenBLAS's row grouping, `LensGridParallelTests`); sliced, exact.
        #expect(Self.close(Self.cells(early), Self.cells(whole).map { Array($0[2...4]) }))

        // Once the whole grid is there, a range is sliced from it: the same numbers. -1 is the last position.
        let late = try json(try server.call("GET", "/api/runs/\(id)/lens-grid?point=mid&from=3&to=-1"))
        #expect(late["from"] as? Int == 3 && late["to"] as? Int == n - 1)
        #expect(Self.values(Self.cells(late)) == Self.values(Self.cells(whole).map { Array($0[3...]) }))

        // The whole run asked for explicitly is the same answer (one cache entry).
        let explicit = try server.call("GET", "/api/runs/\(id)/lens-grid?to=\(n - 1)&point=post&from=0")
        let post = try server.call("GET", "/api/runs/\(id)/lens-grid")
        #expect(explicit.status == 200 && explicit.body == post.body)

        // The anomalies' lens flips come from the post grid computed above.
        let anomalies = try json(try server.call("GET", "/api/runs/\(id)/anomalies"))
        let flips = try LensFlip.compute(model: model, trace: trace)
        #expect(
            (anomalies["lens_flips"] as! [[String: Any]]).map { $0["top_by_layer"] as! [Int] }
                == flips.map(\.topByLayer))

        for (query, parameter) in [
            ("from=\(n)", "from"), ("from=x", "from"), ("to=\(-n - 1)", "to"), ("from=4&to=3", "to"),
            ("from=0&from=1", "from"), ("to=1.5", "to")
        ] {
            try APITests.expectError(
                try server.call("GET", "/api/runs/\(id)/lens-grid?\(query)"), status: 400, code: "bad_parameter",
                parameter: parameter)
        }
    }
}
