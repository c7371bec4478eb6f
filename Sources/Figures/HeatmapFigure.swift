import Foundation

/// A heatmap as one SVG document, drawn as the browser's heatmap export draws it
/// (`Public/js/components/heatmap/svg.js`): a white plot with a rect per non-zero cell (its value in a `<title>`),
/// thinned row and column labels, the Blues legend from 0 to the largest value, and a title. Elements come in a fixed
/// order (background, title, cells row by row, frame, labels, legend), so the output is stable for snapshots.
public struct HeatmapFigure: Sendable {
    /// Most rows or columns an SVG heatmap may have: beyond, the document grows past a few MB.
    public static let maxCells = 256

    public let rows: Int
    public let columns: Int
    /// Row-major `rows × columns`.
    public let values: [Float]
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let title: String?

    public init(rows: Int, columns: Int, values: [Float], rowLabels: [String], columnLabels: [String], title: String?) {
        precondition(values.count == rows * columns && rowLabels.count == rows && columnLabels.count == columns)
        self.rows = rows
        self.columns = columns
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.title = title
    }

    /// An attention pattern `[query][key]` over `tokens` (display strings), labelled "(i) token" on both axes.
    public static func attention(pattern: [Float], tokens: [String], title: String?) -> HeatmapFigure {
        let labels = tokens.enumerated().map { i, token in "(\(i)) " + truncated(token) }
        return HeatmapFigure(
            rows: tokens.count, columns: tokens.count, values: pattern, rowLabels: labels, columnLabels: labels,
            title: title)
    }

    /// The token cut to `HeatmapLayout.labelMaxCharacters` code points, the last one "…", as the browser cuts.
    static func truncated(_ token: String) -> String {
        let scalars = Array(token.unicodeScalars), limit = HeatmapLayout.labelMaxCharacters
        guard scalars.count > limit else { return token }
        var text = String(String.UnicodeScalarView(scalars.prefix(limit - 1)))
        text += "…"
        return text
    }

    /// The largest finite value (0 for none), the top of the colour scale.
    public var maximum: Float { values.reduce(0) { $1.isFinite ? max($0, $1) : $0 } }

    public func svg(scale: SequentialScale = .blues) -> String {
        let layout = HeatmapLayout(
            labelWidth: HeatmapLayout.labelWidth(rowLabels + columnLabels), rows: rows, columns: columns,
            titled: title != nil)
        let n = SVGText.number
        var out: [String] = []
        out.reserveCapacity(rows * columns + 64)
        out.append(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"\(n(layout.width))\" height=\"\(n(layout.height))\" "
                + "viewBox=\"0 0 \(n(layout.width)) \(n(layout.height))\" font-family=\"\(Self.fontFamily)\">")
        out.append(
            "<rect x=\"0\" y=\"0\" width=\"\(n(layout.width))\" height=\"\(n(layout.height))\" fill=\"#ffffff\"/>")
        if let title {
            out.append(
                "<text x=\"4\" y=\"17\" font-size=\"13\" font-weight=\"600\" fill=\"#222\">\(SVGText.escaped(title))</text>"
            )
        }
        cells(layout, scale, into: &out)
        labels(layout, into: &out)
        legend(layout, scale, into: &out)
        return out.joined(separator: "\n")
    }

    /// The browser's `FONT_FAMILY`, escaped for an attribute.
    static let fontFamily = "system-ui, -apple-system, &quot;Segoe UI&quot;, &quot;DejaVu Sans&quot;, sans-serif"

    private func cells(_ layout: HeatmapLayout, _ scale: SequentialScale, into out: inout [String]) {
        let n = SVGText.number, top = Double(maximum), cell = n(layout.cell)
        out.append("<g shape-rendering=\"crispEdges\">")
        out.append(
            "<rect x=\"\(n(layout.plotX))\" y=\"\(n(layout.plotY))\" width=\"\(n(layout.plotWidth))\" "
                + "height=\"\(n(layout.plotHeight))\" fill=\"\(scale.hex(0))\"/>")
        for i in 0..<rows {
            for j in 0..<columns {
                let value = values[i * columns + j]
                let index = SequentialScale.index(Double(value), max: top)
                if index == 0 { continue }
                out.append(
                    "<rect x=\"\(n(layout.plotX + Double(j) * layout.cell))\" "
                        + "y=\"\(n(layout.plotY + Double(i) * layout.cell))\" width=\"\(cell)\" height=\"\(cell)\" "
                        + "fill=\"\(scale.hex(index))\"><title>\(i)→\(j): \(String(format: "%.4f", Double(value)))"
                        + "</title></rect>")
            }
        }
        out.append("</g>")
        out.append(
            "<rect x=\"\(n(layout.plotX - 0.5))\" y=\"\(n(layout.plotY - 0.5))\" width=\"\(n(layout.plotWidth + 1))\" "
                + "height=\"\(n(layout.plotHeight + 1))\" fill=\"none\" stroke=\"#c8d0d8\"/>")
    }

    private func labels(_ layout: HeatmapLayout, into out: inout [String]) {
        let n = SVGText.number, font = HeatmapLayout.labelFontPixels
        out.append("<g font-size=\"\(n(font))\" fill=\"#333\">")
        let rowStep = HeatmapLayout.labelStep(cell: layout.cell, minimum: font + 2)
        for i in stride(from: 0, to: rows, by: rowStep) {
            out.append(
                "<text x=\"\(n(layout.plotX - 5))\" y=\"\(n(layout.plotY + (Double(i) + 0.5) * layout.cell))\" "
                    + "text-anchor=\"end\" dominant-baseline=\"central\">\(SVGText.escaped(rowLabels[i]))</text>")
        }
        let columnStep = HeatmapLayout.labelStep(cell: layout.cell, minimum: (font + 3) / 0.5.squareRoot())
        for j in stride(from: 0, to: columns, by: columnStep) {
            let x = layout.plotX + (Double(j) + 0.5) * layout.cell, y = layout.plotY + layout.plotHeight + 6
            out.append(
                "<text transform=\"translate(\(n(x)) \(n(y))) rotate(-45)\" text-anchor=\"end\" "
                    + "dominant-baseline=\"central\">\(SVGText.escaped(columnLabels[j]))</text>")
        }
        out.append("</g>")
    }

    private func legend(_ layout: HeatmapLayout, _ scale: SequentialScale, into out: inout [String]) {
        let n = SVGText.number, bar = min(layout.plotHeight, 220), x = layout.legendX + 16, top = Double(maximum)
        out.append("<defs><linearGradient id=\"gb-legend\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">")
        for (k, stop) in scale.stops.enumerated() {
            out.append("<stop offset=\"\(n(Double(k) / Double(scale.stops.count - 1)))\" stop-color=\"\(stop)\"/>")
        }
        out.append("</linearGradient></defs>")
        out.append(
            "<rect x=\"\(n(layout.legendX))\" y=\"\(n(layout.plotY))\" width=\"12\" height=\"\(n(bar))\" "
                + "fill=\"url(#gb-legend)\" stroke=\"#9aa5b1\"/>")
        out.append("<g font-size=\"10\" fill=\"#333\" dominant-baseline=\"central\">")
        out.append("<text x=\"\(n(x))\" y=\"\(n(layout.plotY + 5))\">\(Self.scaleLabel(top))</text>")
        if bar >= 40 {
            out.append("<text x=\"\(n(x))\" y=\"\(n(layout.plotY + bar / 2))\">\(Self.scaleLabel(top / 2))</text>")
        }
        out.append("<text x=\"\(n(x))\" y=\"\(n(layout.plotY + bar - 5))\">0</text>")
        out.append("</g></svg>\n")
    }

    /// A colour-scale bound to 3 significant digits, as the browser's `formatScale` ("1", "0.5", "0.123").
    static func scaleLabel(_ value: Double) -> String {
        guard value > 0 else { return "0" }
        return String(format: "%.3g", value)
    }
}
