import Figures
import Foundation
import Testing

/// The server's heatmap drawing against the browser's: the Blues table and the value → colour index are the
/// browser's exactly (the expected colours were printed by `Public/js/components/color-scales.js` under node), and the
/// document has its cells, labels, title and legend in a fixed order.
@Suite("Figures: heatmaps")
struct HeatmapFigureTests {
    @Test("the Blues table and the colour index are the browser's")
    func scale() {
        let browser: [(Int, String)] = [
            (0, "#f7fbff"), (1, "#f6faff"), (50, "#d0e2f2"), (127, "#6caed6"), (128, "#6aaed6"), (200, "#1a68ae"),
            (254, "#08316d"), (255, "#08306b")
        ]
        for (index, hex) in browser { #expect(SequentialScale.blues.hex(index) == hex, "index \(index)") }
        #expect(SequentialScale.index(0.5, max: 1) == 128)
        #expect(SequentialScale.index(0.001, max: 1) == 0)
        #expect(SequentialScale.index(0.3333, max: 0.9) == 94)
        #expect(SequentialScale.index(-1, max: 1) == 0 && SequentialScale.index(.nan, max: 1) == 0)
        #expect(SequentialScale.index(2, max: 1) == 255 && SequentialScale.index(1, max: 0) == 0)
    }

    @Test("a causal 3 × 3 pattern: a rect per non-zero cell with its value and colour, escaped labels, the legend")
    func attention() throws {
        let pattern: [Float] = [1, 0, 0, 0.25, 0.75, 0, 0.5, 0.125, 0.375]
        let svg = HeatmapFigure.attention(pattern: pattern, tokens: ["<b>", "a&b", "\u{1}x"], title: "L0 \"H1\"")
            .svg()
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</g></svg>\n"))
        // The six non-zero cells, row by row; the upper triangle is the plot's background.
        let titles = svg.components(separatedBy: "<title>").dropFirst().map { $0.components(separatedBy: "<")[0] }
        #expect(titles == ["0→0: 1.0000", "1→0: 0.2500", "1→1: 0.7500", "2→0: 0.5000", "2→1: 0.1250", "2→2: 0.3750"])
        // 1024 / 3 → cells of 24 px; the fill of 0.25 of a top of 1 is the table's index 64.
        #expect(svg.contains("width=\"24\" height=\"24\" fill=\"\(SequentialScale.blues.hex(64))\"><title>1→0: 0.2500"))
        #expect(svg.contains("fill=\"#08306b\"><title>0→0: 1.0000"))
        #expect(svg.contains(">(0) &lt;b&gt;</text>") && svg.contains(">(1) a&amp;b</text>"))
        #expect(svg.contains(">(2) \u{FFFD}x</text>") && !svg.contains("\u{1}"))
        #expect(svg.contains(">L0 &quot;H1&quot;</text>"))
        #expect(svg.contains(">1</text>") && svg.contains(">0.5</text>") && svg.contains(">0</text>"))
        // Fixed order: title, cells, labels, legend.
        let order = ["font-weight=\"600\"", "<g shape-rendering", "<g font-size=\"11\"", "<linearGradient"].map {
            svg.range(of: $0)!.lowerBound
        }
        #expect(order == order.sorted())
        #expect(
            svg
                == HeatmapFigure.attention(pattern: pattern, tokens: ["<b>", "a&b", "\u{1}x"], title: "L0 \"H1\"")
                .svg())
    }

    @Test("long tokens are cut as the browser cuts them; many cells thin the labels and keep cells of 2 px or more")
    func layout() {
        let long = String(repeating: "é", count: 30)
        let figure = HeatmapFigure.attention(pattern: [1], tokens: [long], title: nil)
        #expect(figure.rowLabels == ["(0) " + String(repeating: "é", count: 17) + "…"])
        let wide = HeatmapLayout(labelWidth: 60, rows: 256, columns: 256, titled: false)
        #expect(wide.cell == 4 && wide.plotWidth == 1024 && wide.plotX == 70 && wide.plotY == 8)
        #expect(HeatmapLayout(labelWidth: 60, rows: 2000, columns: 2000, titled: true).cell == 2)
        #expect(HeatmapLayout.labelStep(cell: 4, minimum: 13) == 5)
        #expect(HeatmapLayout.labelStep(cell: 24, minimum: 13) == 1)
        #expect(HeatmapLayout.labelStep(cell: 2, minimum: 20) == 10)
    }
}
