import Analysis
import Foundation

/// A report as one standalone HTML page: inline CSS and SVG, no scripts and nothing loaded from elsewhere, so it
/// opens offline and can be mailed or archived as it is.
public enum ReportHTML {
    public static func page(_ report: Report) -> String {
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Glassbox report: \(escape(report.model))</title>
            <style>\(style)</style></head><body>
            <h1>Glassbox report</h1>
            <p class="meta">Model <b>\(escape(report.model))</b> (\(escape(report.info.architecture)), \(report.info.layers) \
            layers × \(report.info.heads) heads) · \(report.prompts.count) prompts · \
            \(String(format: "%.1f", report.prompts.reduce(0) { $0 + $1.seconds })) s · \
            \(ISO8601DateFormatter().string(from: report.created)) · ablation \(report.options.ablation ? "on" : "off")</p>
            <p class="note">Recommendations are suggestions about the measured prompts only; each cites the measurement \
            that fired it.</p>
            """
        html += recommendations(report)
        html += headGrids(report)
        html += flow(report)
        html += clusters(report)
        html += headTable(report)
        html += prompts(report)
        html +=
            "<footer>Made by Glassbox. Definitions: attention metrics, anomalies, flow and redundancy as in the "
            + "Glassbox's docs/analyses.md (§1–4, §9).</footer></body></html>\n"
        return html
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;color:#1d2430;margin:24px auto;max-width:1100px;padding:0 16px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea}
        .meta{color:#4a5563}.note{background:#f4f7fb;border-left:3px solid #7aa7d8;padding:6px 10px}
        table{border-collapse:collapse;margin:6px 0;font-size:13px;display:block;overflow-x:auto;max-width:100%}
        td,th{border:1px solid #dde3ea;padding:3px 7px;
        text-align:right}th{background:#f1f4f8}td.l,th.l{text-align:left}.rec{margin:10px 0;padding:8px 12px;
        border:1px solid #e2c98f;background:#fffaf0;border-radius:4px}.rec b{color:#7a4b00}code{font-size:12px}
        svg text{font:11px system-ui,sans-serif;fill:#1d2430}.legend span{display:inline-block;margin-right:12px}
        .sw{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border:1px solid #0002}
        footer{margin-top:32px;color:#6b7685;font-size:12px}
        """

    static let classColors: [PatternClass: String] = [
        .sink: "#e4572e", .previousToken: "#4c9f70", .diagonal: "#76b7b2", .vertical: "#f2a541",
        .uniform: "#9aa5b1", .sparse: "#7e57c2", .mixed: "#d9dee5"
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func number(_ x: Double?, _ digits: Int = 3) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%.\(digits)f", x)
    }

    static func recommendations(_ report: Report) -> String {
        var html = "<h2>Recommendations</h2>"
        if report.recommendations.isEmpty {
            return html + "<p>No rule fired on these prompts.</p>"
        }
        for r in report.recommendations {
            html +=
                "<div class=\"rec\"><b>\(escape(r.rule))</b>: \(escape(r.message))<table><tr><th class=l>measure</th>"
                + "<th>layer</th><th>head</th><th>value</th><th>rule</th></tr>"
            for e in r.evidence.prefix(12) {
                html +=
                    "<tr><td class=l>\(escape(e.measure))</td><td>\(e.layer.map(String.init) ?? "–")</td>"
                    + "<td>\(e.head.map(String.init) ?? "–")</td><td>\(number(e.value, 4))</td>"
                    + "<td>\(escape(e.threshold))</td></tr>"
            }
            if r.evidence.count > 12 {
                html += "<tr><td class=l colspan=5>… \(r.evidence.count - 12) more (all in the JSON)</td></tr>"
            }
            html += "</table></div>"
        }
        return html
    }

    /// A layer × head grid of coloured cells with a title (hover text) per cell.
    static func grid(
        _ report: Report, title: String, color: (Report.HeadSummary) -> String,
        label: (Report.HeadSummary) -> String
    ) -> String {
        let H = report.info.heads, L = report.info.layers, cell = 22, left = 34, top = 18
        var svg =
            "<figure><figcaption>\(escape(title))</figcaption><svg role=img width=\(left + H * cell + 4) "
            + "height=\(top + L * cell + 4) viewBox=\"0 0 \(left + H * cell + 4) \(top + L * cell + 4)\">"
        for h in 0..<H { svg += "<text x=\(left + h * cell + 6) y=12>H\(h)</text>" }
        for l in 0..<L { svg += "<text x=2 y=\(top + (L - 1 - l) * cell + 15)>L\(l)</text>" }
        for s in report.heads {
            svg +=
                "<rect x=\(left + s.head * cell) y=\(top + (L - 1 - s.layer) * cell) width=\(cell - 2) "
                + "height=\(cell - 2) fill=\"\(color(s))\"><title>L\(s.layer) H\(s.head): \(escape(label(s)))</title></rect>"
        }
        return svg + "</svg></figure>"
    }

    /// White → blue for a value in [0, 1].
    static func ramp(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "#eeeeee" }
        let t = max(0, min(1, x))
        let r = Int(255 - t * 206), g = Int(255 - t * 146), b = Int(255 - t * 54)
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    static func headGrids(_ report: Report) -> String {
        var html = "<h2>Heads</h2><div style=\"display:flex;flex-wrap:wrap;gap:24px\">"
        html += grid(
            report, title: "Pattern class (most frequent over the prompts)",
            color: { classColors[$0.patternClass]! },
            label: { "\($0.patternClass.rawValue) in \($0.classCount) of \(report.prompts.count) prompts" })
        html += grid(
            report, title: "Mean normalised entropy", color: { ramp($0.means["normalized_entropy"]) },
            label: { number($0.means["normalized_entropy"]) })
        html += grid(
            report, title: "Mean first-token share", color: { ramp($0.means["first_token"]) },
            label: { number($0.means["first_token"]) })
        if report.options.ablation {
            let top = max(report.heads.compactMap(\.ablationNats).max() ?? 1, 1e-9)
            html += grid(
                report, title: "Mean |Δ log p| when zeroed (scale to \(number(top)) nats)",
                color: { ramp(($0.ablationNats ?? .nan) / top) },
                label: { number($0.ablationNats, 4) + " nats" })
        }
        html += "</div><p class=legend>"
        for c in PatternClass.allCases {
            html += "<span><i class=sw style=\"background:\(classColors[c]!)\"></i>\(c.rawValue)</span>"
        }
        return html + "</p>"
    }

    static func flow(_ report: Report) -> String {
        let L = report.layers.count, width = 640, height = 220, left = 40, bottom = 28, top = 10
        let series: [(String, String, (Report.LayerSummary) -> Double)] = [
            ("cosine(input, output)", "#2f6db3", \.meanCosine),
            ("relative update", "#e4572e", \.meanRelativeUpdate),
            ("attention share", "#4c9f70", \.meanAttentionShare)
        ]
        let maxValue = max(1, report.layers.flatMap { l in series.map { $0.2(l) } }.filter(\.isFinite).max() ?? 1)
        func x(_ l: Int) -> Double { Double(left) + Double(l) * Double(width - left - 10) / Double(max(L - 1, 1)) }
        func y(_ v: Double) -> Double { Double(top) + (1 - v / maxValue) * Double(height - top - bottom) }
        var svg =
            "<h2>Layer flow (means over every position of every prompt)</h2><svg role=img width=\(width) "
            + "height=\(height) viewBox=\"0 0 \(width) \(height)\">"
        svg += "<line x1=\(left) y1=\(height - bottom) x2=\(width - 10) y2=\(height - bottom) stroke=#889 />"
        svg += "<line x1=\(left) y1=\(top) x2=\(left) y2=\(height - bottom) stroke=#889 />"
        for tick in stride(from: 0.0, through: maxValue, by: maxValue / 4) {
            svg += "<text x=2 y=\(Int(y(tick)) + 4)>\(number(tick, 2))</text>"
        }
        for l in 0..<L where L <= 24 || l % 2 == 0 { svg += "<text x=\(Int(x(l)) - 4) y=\(height - 10)>\(l)</text>" }
        for (name, color, value) in series {
            let points = report.layers.map { "\(number(x($0.layer), 1)),\(number(y(value($0)), 1))" }
            svg +=
                "<polyline fill=none stroke=\"\(color)\" stroke-width=2 points=\"\(points.joined(separator: " "))\">"
                + "<title>\(escape(name))</title></polyline>"
            for l in report.layers {
                svg +=
                    "<circle cx=\(number(x(l.layer), 1)) cy=\(number(y(value(l)), 1)) r=3 fill=\"\(color)\">"
                    + "<title>L\(l.layer) \(escape(name)): \(number(value(l), 4))</title></circle>"
            }
        }
        svg +=
            "</svg><p class=legend>"
            + series.map { "<span><i class=sw style=\"background:\($0.1)\"></i>\($0.0)</span>" }
            .joined() + "</p>"
        svg +=
            "<table><tr><th>layer</th><th>cos</th><th>information loss</th><th>relative update</th>"
            + "<th>attention share</th><th>|Δ log p| skipped</th><th class=l>redundant</th></tr>"
        for l in report.layers {
            svg +=
                "<tr><td>\(l.layer)</td><td>\(number(l.meanCosine, 4))</td><td>\(number(1 - l.meanCosine, 4))</td>"
                + "<td>\(number(l.meanRelativeUpdate, 4))</td><td>\(number(l.meanAttentionShare))</td>"
                + "<td>\(number(l.skipNats, 4))</td><td class=l>\(l.redundant ? "yes" : "")</td></tr>"
        }
        return svg + "</table>"
    }

    static func clusters(_ report: Report) -> String {
        guard let c = report.clusters else { return "" }
        var html =
            "<h2>Head clusters (k-means on the mean metrics)</h2><table><tr><th>cluster</th><th class=l>heads</th>"
        for name in HeadClustering.featureNames { html += "<th>\(escape(name))</th>" }
        html += "</tr>"
        for (i, centroid) in c.centroids.enumerated() {
            let members = c.members(of: i).map { "L\($0.layer)H\($0.head)" }.joined(separator: " ")
            html +=
                "<tr><td>\(i)</td><td class=l>\(members)</td>"
                + centroid.map { "<td>\(number($0))</td>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    static func headTable(_ report: Report) -> String {
        let names = [
            "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token", "self",
            "diagonal", "uniformity", "vertical"
        ]
        var html =
            "<h2>Head metrics (means over the prompts)</h2><table><tr><th>layer</th><th>head</th>"
            + "<th class=l>class</th>" + names.map { "<th>\($0)</th>" }.joined()
            + "<th>|Δ log p| zeroed</th><th>cluster</th></tr>"
        for h in report.heads {
            html +=
                "<tr><td>\(h.layer)</td><td>\(h.head)</td><td class=l>\(h.patternClass.rawValue)</td>"
                + names.map { "<td>\(number(h.means[$0]))</td>" }.joined()
                + "<td>\(number(h.ablationNats, 4))</td><td>\(h.cluster.map(String.init) ?? "–")</td></tr>"
        }
        return html + "</table>"
    }

    static func prompts(_ report: Report) -> String {
        var html =
            "<h2>Prompts</h2><table><tr><th>#</th><th class=l>prompt</th><th>tokens</th><th class=l>prediction</th>"
            + "<th>p</th><th>high attn</th><th>uniform</th><th>dead</th><th>outlier dims</th><th>lens settles</th>"
            + "<th>seconds</th></tr>"
        for (i, p) in report.prompts.enumerated() {
            let top = p.predictions.first
            html +=
                "<tr><td>\(i + 1)</td><td class=l>\(escape(p.prompt))</td><td>\(p.tokens.count)</td>"
                + "<td class=l><code>\(escape(top.map { report.display($0.id, in: p) } ?? "–"))</code></td>"
                + "<td>\(number(top?.probability))</td><td>\(p.anomalies.highAttention.count)</td>"
                + "<td>\(p.anomalies.uniformAttention.count)</td><td>\(p.anomalies.deadHeads.count)</td>"
                + "<td>\(p.anomalies.outlierDimensions.count)</td>"
                + "<td>L\(p.lensFlips.last!.settledLayer)</td><td>\(number(p.seconds, 2))</td></tr>"
        }
        return html + "</table>"
    }
}
