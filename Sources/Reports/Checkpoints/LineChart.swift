/// A line chart as inline SVG (no script): one value per x position for each line, the y axis fitted to the finite
/// values, a point per value with its value as hover text. A missing (non-finite) value breaks its line.
struct LineChart {
    struct Line {
        let name: String
        let color: String
        let values: [Double]
    }

    let title: String
    let xLabels: [String]
    let lines: [Line]
    var width = 340
    var height = 190
    var digits = 4
    /// Whether a legend of the lines' names follows the chart.
    var legend = false

    /// `<figure>` with the caption and the chart.
    func svg() -> String {
        let left = 52.0, right = 24.0, top = 10.0, bottom = 34.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let finite = lines.flatMap(\.values).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high - low < 1e-12 {
            // A flat line: zero (a count that never fired) sits on the axis, another value mid-height.
            let pad = high == 0 ? 1 : abs(high) * 0.1
            low = high == 0 ? 0 : low - pad
            high += pad
        }
        let count = max(xLabels.count, 1)
        func x(_ i: Int) -> Double { left + (count == 1 ? plotWidth / 2 : Double(i) * plotWidth / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * plotHeight }
        func f(_ v: Double) -> String { ReportHTML.number(v, 1) }
        var svg =
            "<figure class=chart><figcaption>\(ReportHTML.escape(title))</figcaption><svg role=img width=\(width) "
            + "height=\(height) viewBox=\"0 0 \(width) \(height)\">"
        svg += "<line x1=\(f(left)) y1=\(f(top + plotHeight)) x2=\(f(left + plotWidth)) y2=\(f(top + plotHeight)) "
        svg += "stroke=#889 /><line x1=\(f(left)) y1=\(f(top)) x2=\(f(left)) y2=\(f(top + plotHeight)) stroke=#889 />"
        for tick in [low, (low + high) / 2, high] {
            svg +=
                "<line x1=\(f(left - 3)) y1=\(f(y(tick))) x2=\(f(left + plotWidth)) y2=\(f(y(tick))) stroke=#e3e7ec />"
                + "<text x=2 y=\(f(y(tick) + 4))>\(ReportHTML.escape(Self.short(tick)))</text>"
        }
        let every = max(1, (count + 5) / 6)
        for (i, label) in Self.ticks(xLabels).enumerated() where i % every == 0 || i == count - 1 {
            svg +=
                "<text x=\(f(x(i))) y=\(f(top + plotHeight + 16)) text-anchor=middle>"
                + "\(ReportHTML.escape(Self.clip(label)))</text>"
        }
        for line in lines {
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    svg +=
                        "<polyline fill=none stroke=\"\(line.color)\" stroke-width=2 "
                        + "points=\"\(segment.joined(separator: " "))\"><title>\(ReportHTML.escape(line.name))</title>"
                        + "</polyline>"
                }
                segment = []
            }
            for (i, v) in line.values.enumerated() {
                guard v.isFinite else {
                    flush()
                    continue
                }
                segment.append("\(f(x(i))),\(f(y(v)))")
            }
            flush()
            for (i, v) in line.values.enumerated() where v.isFinite {
                let label = i < xLabels.count ? xLabels[i] : "\(i)"
                svg +=
                    "<circle cx=\(f(x(i))) cy=\(f(y(v))) r=3 fill=\"\(line.color)\"><title>"
                    + "\(ReportHTML.escape(line.name)) at \(ReportHTML.escape(label)): \(ReportHTML.number(v, digits))"
                    + "</title></circle>"
            }
        }
        svg += "</svg>"
        if legend {
            svg +=
                "<p class=legend>"
                + lines.map {
                    "<span><i class=sw style=\"background:\($0.color)\"></i>\(ReportHTML.escape($0.name))</span>"
                }
                .joined() + "</p>"
        }
        return svg + "</figure>"
    }

    /// A tick label: 3 significant digits.
    static func short(_ v: Double) -> String {
        let a = abs(v)
        if a >= 100 || a == 0 { return String(Int(v.rounded())) }
        return ReportHTML.number(v, a >= 10 ? 1 : a >= 1 ? 2 : 3)
    }

    /// The x labels without the prefix they all share up to a separator (`step-0050` → `0050`); the full names are in
    /// the hover texts and tables.
    static func ticks(_ labels: [String]) -> [String] {
        guard labels.count > 1, var prefix = labels.first else { return labels }
        for label in labels.dropFirst() {
            while !label.hasPrefix(prefix) { prefix.removeLast() }
        }
        guard let cut = prefix.lastIndex(where: { !$0.isLetter && !$0.isNumber }) else { return labels }
        let count = prefix.distance(from: prefix.startIndex, to: cut) + 1
        let stripped = labels.map { String($0.dropFirst(count)) }
        return stripped.contains(where: \.isEmpty) ? labels : stripped
    }

    /// A long x label cut to 12 characters (the full name is in the tables and hover texts).
    static func clip(_ label: String) -> String { label.count <= 12 ? label : "…" + label.suffix(11) }
}
