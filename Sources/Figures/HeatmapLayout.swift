/// Where a heatmap's parts go in an exported drawing (as the browser's `exportLayout` in
/// `Public/js/components/heatmap/layout.js`): square cells of 2–24 px so that the matrix is about 1000 px or less,
/// the row labels left of it, the column labels under it at 45°, the legend to its right, a title above.
public struct HeatmapLayout: Sendable, Equatable {
    public static let labelFontPixels = 11.0
    public static let legendWidth = 64.0
    /// Most characters of a token in an axis label (longer ones are cut with "…").
    public static let labelMaxCharacters = 18

    public let width, height: Double
    public let plotX, plotY, plotWidth, plotHeight: Double
    public let cell: Double
    public let legendX: Double

    public init(labelWidth: Double, rows: Int, columns: Int, titled: Bool) {
        cell = Double(min(max(1024 / max(rows, columns, 1), 2), 24))
        plotX = labelWidth + 10
        plotY = (titled ? 22 : 0) + 8
        plotWidth = Double(columns) * cell
        plotHeight = Double(rows) * cell
        let bottom = (labelWidth * 0.5.squareRoot() + Self.labelFontPixels + 10).rounded(.up)
        width = plotX + plotWidth + Self.legendWidth
        height = plotY + plotHeight + bottom
        legendX = plotX + plotWidth + 14
    }

    /// The width given to the axis labels: the widest label at about 6.4 px a character in the 11 px sans-serif
    /// font (the browser measures the text; a server cannot), at most 150 px.
    public static func labelWidth(_ labels: [String]) -> Double {
        let widest = labels.map { $0.unicodeScalars.count }.max() ?? 0
        return min((Double(widest) * 6.4).rounded(.up), 150)
    }

    /// Every `step`-th label is drawn so that labels are at least `minimum` px apart: 1, 2, 5, 10, 20, 50, …
    public static func labelStep(cell: Double, minimum: Double) -> Int {
        if cell >= minimum { return 1 }
        let need = minimum / cell
        var base = 1
        while true {
            for m in [1, 2, 5] where Double(base * m) >= need { return base * m }
            base *= 10
        }
    }
}
