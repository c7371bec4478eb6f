import Analysis
import Foundation

/// A checkpoint series as one standalone HTML page: inline CSS and SVG line charts, no scripts and nothing loaded from
/// elsewhere, so it opens offline. The trends first, then every head's metrics over the checkpoints, the class
/// changes, the classes per checkpoint and the numbers in tables.
public enum CheckpointSeriesHTML {
    /// Heads drawn in a per-head chart: the ones whose value moves most over the series.
    static let headsPerChart = 8
    static let palette = ["#2f6db3", "#e4572e", "#4c9f70", "#f2a541", "#7e57c2", "#76b7b2", "#c2185b", "#6d4c41"]

    public static func page(_ report: CheckpointSeriesReport) -> String {
        let series = report.series, info = series.checkpoints[0].info
        let e = ReportHTML.escape
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Glassbox checkpoint series: \(e(series.checkpoints[0].name)) … \(e(series.checkpoints.last!.name))</title>
            <style>\(ReportHTML.style)\(style)</style></head><body>
            <h1>Glassbox checkpoint series</h1>
            <p class="meta">\(series.checkpoints.count) checkpoints of \(e(info.architecture)) (\(info.layers) layers × \
            \(info.heads) heads), in training order · \(report.prompts.count) prompts · \
            \(String(format: "%.1f", report.seconds)) s · \(ISO8601DateFormatter().string(from: report.created)) · \
            ablation \(report.options.parameters.ablation ? "on" : "off")</p>
            <p class="note">Every number is measured on the prompts below only; a trend is one value per checkpoint.</p>
            """
        html += summary(series)
        html += trends(series)
        html += heads(series, ablation: report.options.parameters.ablation)
        html += changes(series)
        html += classGrids(series)
        html += checkpointTable(series)
        html += prompts(report)
        html +=
            "<footer>Made by Glassbox. Definitions: attention metrics and classes, anomalies, lens settling and "
            + "redundant heads as in Glassbox's docs/analyses.md (§1, §3, §4).</footer></body></html>\n"
        return html
    }

    static let style = """
        .charts{display:flex;flex-wrap:wrap;gap:14px}.chart{margin:0;max-width:340px}.chart .legend{font-size:12px;margin:2px 0}.chart figcaption{font-size:12px;color:#4a5563;
        max-width:340px}ul.changes{columns:2;font-size:13px}.grids{display:flex;flex-wrap:wrap;gap:18px}
        """

    /// Sentences for the trends that move one way, and the count of class changes.
    static func summary(_ series: CheckpointSeries) -> String {
        var items: [String] = []
        for t in series.trends where t.direction == .rising || t.direction == .falling {
            let verb = t.direction == .rising ? "rises" : "falls"
            items.append(
                "<li><b>\(t.name)</b> \(verb) at every checkpoint, from \(ReportHTML.number(t.values.first, 4)) to "
                    + "\(ReportHTML.number(t.values.last, 4)) <span class=meta>(\(ReportHTML.escape(CheckpointTrend.caption(t.name))))"
                    + "</span></li>")
        }
        let count = series.classChanges.count
        items.append(
            "<li>\(count) class change\(count == 1 ? "" : "s") between consecutive checkpoints; "
                + "\(series.firstToLast.count) head\(series.firstToLast.count == 1 ? "" : "s") with another class at "
                + "the end than at the start</li>")
        return "<h2>Summary</h2><ul>" + items.joined() + "</ul>"
    }

    static func trends(_ series: CheckpointSeries) -> String {
        let names = series.checkpoints.map(\.name)
        var html = "<h2>Trends</h2><div class=charts>"
        for (i, t) in series.trends.enumerated() {
            html += LineChart(
                title: "\(t.name): \(CheckpointTrend.caption(t.name))", xLabels: names,
                lines: [LineChart.Line(name: t.name, color: palette[i % palette.count], values: t.values)]
            ).svg()
        }
        return html + "</div>"
    }

    /// A chart per head metric with a line for each of the heads that move most.
    static func heads(_ series: CheckpointSeries, ablation: Bool) -> String {
        let names = series.checkpoints.map(\.name)
        var metrics = ["previous_token", "first_token", "normalized_entropy", "self", "diagonal", "focus"]
        if ablation { metrics.append("ablation_nats") }
        var html =
            "<h2>Heads over the checkpoints</h2><p>Each chart shows the \(headsPerChart) heads whose value moves most "
            + "(every head is in the JSON).</p><div class=charts>"
        let heads = series.checkpoints[0].heads
        for metric in metrics {
            let lines = heads.map { h in
                let values = series.checkpoints.map { c -> Double in
                    let x = c.heads.first { $0.layer == h.layer && $0.head == h.head }
                    return metric == "ablation_nats" ? (x?.ablationNats ?? .nan) : (x?.mean(metric) ?? .nan)
                }
                return (label: h.label, values: values)
            }
            func range(_ v: [Double]) -> Double {
                let f = v.filter(\.isFinite)
                return (f.max() ?? 0) - (f.min() ?? 0)
            }
            let shown = lines.enumerated().sorted { range($0.element.values) > range($1.element.values) }
                .prefix(headsPerChart).sorted { $0.offset < $1.offset }
            html += LineChart(
                title: metric == "ablation_nats"
                    ? "mean |Δ log p| when the head is zeroed (nats)" : "\(metric) per head",
                xLabels: names,
                lines: shown.enumerated().map { i, item in
                    LineChart.Line(
                        name: item.element.label, color: palette[i % palette.count], values: item.element.values)
                }, legend: true
            ).svg()
        }
        return html + "</div>"
    }

    static func changes(_ series: CheckpointSeries) -> String {
        var html = "<h2>Heads whose class changed</h2>"
        if series.classChanges.isEmpty { return html + "<p>No head changed its class.</p>" }
        html += "<h3>Between consecutive checkpoints</h3><ul class=changes>"
        for x in series.classChanges { html += "<li>\(ReportHTML.escape(x.description))</li>" }
        html += "</ul><h3>From the first checkpoint to the last</h3>"
        if series.firstToLast.isEmpty { return html + "<p>Every head ends with the class it started with.</p>" }
        html += "<ul class=changes>"
        for x in series.firstToLast { html += "<li>\(ReportHTML.escape(x.label))</li>" }
        return html + "</ul>"
    }

    /// One layer × head grid of pattern classes per checkpoint.
    static func classGrids(_ series: CheckpointSeries) -> String {
        let info = series.checkpoints[0].info, H = info.heads, L = info.layers, cell = 18, left = 30, top = 16
        var html = "<h2>Pattern classes per checkpoint</h2><div class=grids>"
        for c in series.checkpoints {
            let width = left + H * cell + 4, height = top + L * cell + 4
            html +=
                "<figure><figcaption>\(ReportHTML.escape(c.name))</figcaption><svg role=img width=\(width) "
                + "height=\(height) viewBox=\"0 0 \(width) \(height)\">"
            if H <= 32 { for h in 0..<H { html += "<text x=\(left + h * cell + 3) y=11>\(h)</text>" } }
            for l in 0..<L where L <= 40 || l % 2 == 0 {
                html += "<text x=2 y=\(top + (L - 1 - l) * cell + 13)>L\(l)</text>"
            }
            for h in c.heads {
                html +=
                    "<rect x=\(left + h.head * cell) y=\(top + (L - 1 - h.layer) * cell) width=\(cell - 2) "
                    + "height=\(cell - 2) fill=\"\(ReportHTML.classColors[h.patternClass]!)\"><title>\(h.label): "
                    + "\(h.patternClass.rawValue) in \(h.classPrompts) of \(c.prompts.count) prompts</title></rect>"
            }
            html += "</svg></figure>"
        }
        html += "</div><p class=legend>"
        for c in PatternClass.allCases {
            html += "<span><i class=sw style=\"background:\(ReportHTML.classColors[c]!)\"></i>\(c.rawValue)</span>"
        }
        return html + "</p>"
    }

    static func checkpointTable(_ series: CheckpointSeries) -> String {
        var html =
            "<h2>Checkpoints</h2><table><tr><th class=l>checkpoint</th><th>loss</th><th>sink share</th>"
            + "<th>max previous-token</th><th class=l>settled layers</th>"
            + AnomalyCounts.kinds.map { "<th>\($0)</th>" }.joined()
            + "<th class=l>redundant heads</th><th>seconds</th></tr>"
        for c in series.checkpoints {
            let redundant = c.redundantHeads.map { $0.map { "L\($0.layer)H\($0.head)" }.joined(separator: " ") } ?? "–"
            html +=
                "<tr><td class=l>\(ReportHTML.escape(c.name))</td><td>\(ReportHTML.number(c.loss, 4))</td>"
                + "<td>\(ReportHTML.number(c.sinkShare, 4))</td>"
                + "<td>\(ReportHTML.number(CheckpointTrend.value("max_previous_token", of: c), 4))</td>"
                + "<td class=l>\(c.settledLayers.map(String.init).joined(separator: " "))</td>"
                + AnomalyCounts.kinds.map { "<td>\(c.anomalyCounts.count(of: $0)!)</td>" }.joined()
                + "<td class=l>\(redundant.isEmpty ? "none" : redundant)</td>"
                + "<td>\(ReportHTML.number(c.seconds, 2))</td></tr>"
        }
        return html + "</table>"
    }

    static func prompts(_ report: CheckpointSeriesReport) -> String {
        let series = report.series
        var html =
            "<h2>Prompts</h2><p>Tokens and loss under each checkpoint, and the token its last position predicts.</p>"
            + "<table><tr><th>#</th><th class=l>prompt</th>"
            + series.checkpoints.map { "<th class=l>\(ReportHTML.escape($0.name))</th>" }.joined() + "</tr>"
        for (i, prompt) in report.prompts.enumerated() {
            html += "<tr><td>\(i + 1)</td><td class=l>\(ReportHTML.escape(prompt))</td>"
            for (c, displays) in zip(series.checkpoints, report.predictionDisplays) {
                let p = c.prompts[i]
                html +=
                    "<td class=l>\(p.tokens) tokens, loss \(ReportHTML.number(p.loss.mean, 3)) → "
                    + "<code>\(ReportHTML.escape(displays[i]))</code></td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }
}
