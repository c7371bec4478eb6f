import Figures
import Foundation
import GlassboxServer
import HTTP
import Testing

/// `GET /api/runs/{id}/attention.svg`: the drawing holds the run's own pattern (every non-zero weight of
/// `/attention` in its cell's title, to the 4 decimals drawn, with its colour on the scale), its tokens, and the
/// same 400s as the JSON endpoint.
@Suite("HTTP API: server-drawn figures")
struct FigureAPITests {
    @Test("attention.svg is /attention's pattern, cell by cell, with the run's tokens")
    func attention() throws {
        let server = try ServerFixture()
        let id = try server.run("The capital of France is")
        for head in ["1", "all"] {
            let response = try server.call("GET", "/api/runs/\(id)/attention.svg?layer=1&head=\(head)")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "image/svg+xml; charset=utf-8")
            let svg = String(decoding: response.body, as: UTF8.self)
            let data = try json(try server.call("GET", "/api/runs/\(id)/attention?layer=1&head=\(head)"))
            let pattern = try #require(data["pattern"] as? [[Double]])
            let tokens = try #require(data["tokens"] as? [String])
            let top = pattern.flatMap { $0 }.max()!
            var expected: [String] = []
            for (i, row) in pattern.enumerated() {
                for (j, value) in row.enumerated() {
                    let index = SequentialScale.index(Double(Float(value)), max: Double(Float(top)))
                    guard index > 0 else { continue }
                    expected.append(
                        "fill=\"\(SequentialScale.blues.hex(index))\"><title>\(i)→\(j): "
                            + String(format: "%.4f", value))
                }
            }
            let cells = svg.components(separatedBy: "\n").filter { $0.contains("<title>") }
            #expect(cells.count == expected.count && expected.count >= tokens.count)
            for (cell, want) in zip(cells, expected) { #expect(cell.contains(want), "\(cell) ≠ \(want)") }
            for (i, token) in tokens.enumerated() { #expect(svg.contains(">(\(i)) \(token)</text>")) }
            #expect(svg.contains(head == "all" ? "layer 1 · mean of the heads" : "layer 1 · head 1"))
        }
        for (query, parameter) in [("layer=99", "layer"), ("layer=0&head=9", "head"), ("layer=0&format=png", "format")]
        {
            try APITests.expectError(
                try server.call("GET", "/api/runs/\(id)/attention.svg?\(query)"), status: 400, code: "bad_parameter",
                parameter: parameter)
        }
    }
}
