import Analysis
import Foundation

/// An explanation report as one standalone HTML page (inline CSS and SVG, no scripts, nothing loaded from
/// elsewhere): the verdict, the deletion and insertion curves of every method over the random orders' band, the
/// faithfulness table, the agreement heatmap, stability, the consensus token colouring and, with a second model,
/// the per-word comparison.
public enum ExplanationHTML {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"]

    public static func page(_ report: ExplanationReport) -> String {
        let e = report.evaluation, esc = ReportHTML.escape
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Glassbox explanation: \(esc(report.modelName))</title>
            <style>\(ReportHTML.style)</style></head><body>
            <h1>Which explanation to trust</h1>
            <p class="meta">Model <b>\(esc(report.modelName))</b> (\(esc(report.info.architecture))) · \
            \(report.ids.count) tokens · target \(esc(report.targetText.debugDescription)) after position \
            \(e.target.position) (\(e.target.contrast == nil ? e.target.objective.rawValue : "contrast")): \
            f(E) = \(number(e.value)), f(E′) = \(number(e.baselineValue)) with the \(esc(e.parameters.baseline.description)) \
            baseline · \(e.passes) passes · \(String(format: "%.1f", report.seconds)) s</p>
            <p class="meta">Prompt: <code>\(esc(report.prompt))</code></p>
            <h2>Verdict</h2><div class="note">\(e.methods.isEmpty ? "" : esc(report.verdict.text))</div>
            """
        html += curves(e)
        html += faithfulnessTable(e)
        html += agreement(e.agreement)
        html += stability(e.stability, variant: report.variant)
        html += tokens(report)
        if let c = report.comparison { html += comparison(c) }
        html +=
            "<footer>Made by Glassbox. Definitions: docs/analyses.md §6 (explainers) and §7 (deletion and insertion "
            + "curves, trapezoid areas over k/n, comprehensiveness and sufficiency at ceil(p·n/100) positions, random "
            + "orders from SplitMix64 seeds, Spearman of average ranks, consensus of normalised ranks).</footer>"
            + "</body></html>\n"
        return html
    }

    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%.3g", x)
    }

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// Both curves side by side: the random orders' min–max band and mean, and one line per method.
    static func curves(_ e: ExplanationEvaluation) -> String {
        var html = "<h2>Deletion and insertion curves</h2><p>f after k of n positions are replaced by the baseline "
        html += "row (deletion: lower area is better) or restored from it (insertion: higher is better), in each "
        html += "method's order; grey: the \(e.random.count) random orders (band min–max, dashed line mean).</p><p>"
        for kind in CurveKind.allCases {
            html += chart(e, kind: kind)
        }
        html += "</p><p class=legend>"
        for (i, m) in e.methods.enumerated() {
            html += "<span>\(swatch(color(i)))\(ReportHTML.escape(m.method.rawValue))</span>"
        }
        return html + "<span>\(swatch("#bbbbbb"))random</span></p>"
    }

    static func swatch(_ fill: String) -> String {
        "<svg width=12 height=12 class=sw><rect width=12 height=12 fill=\"\(fill)\"/></svg>"
    }

    static func chart(_ e: ExplanationEvaluation, kind: CurveKind) -> String {
        func values(_ o: OrderEvaluation) -> [Double] { kind == .deletion ? o.deletion.values : o.insertion.values }
        let all = e.methods.map { values($0.faithfulness) } + e.random.map { values($0.evaluation) }
        let lo = all.flatMap { $0 }.min() ?? 0, hi = all.flatMap { $0 }.max() ?? 1
        let span = hi - lo > 0 ? hi - lo : 1
        let width = 500.0, height = 260.0, left = 48.0, right = 10.0, top = 20.0, bottom = 28.0
        let n = Double((all.first?.count ?? 2) - 1)
        func x(_ k: Int) -> Double { left + Double(k) / n * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / span) * (height - top - bottom) }
        func path(_ vs: [Double]) -> String {
            vs.enumerated().map {
                String(format: "%@%.1f,%.1f", $0.offset == 0 ? "M" : "L", x($0.offset), y($0.element))
            }
            .joined()
        }
        var svg =
            "<svg role=img width=\(Int(width)) height=\(Int(height)) viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<text x=\(Int(left)) y=14>\(kind.rawValue) curve</text>"
        let randoms = e.random.map { values($0.evaluation) }
        if let first = randoms.first {
            let lower = first.indices.map { k in randoms.map { $0[k] }.min()! }
            let upper = first.indices.map { k in randoms.map { $0[k] }.max()! }
            let mean = first.indices.map { k in randoms.reduce(0) { $0 + $1[k] } / Double(randoms.count) }
            let band =
                path(upper)
                + lower.indices.reversed().map { String(format: "L%.1f,%.1f", x($0), y(lower[$0])) }.joined() + "Z"
            svg += "<path d=\"\(band)\" fill=\"#dddddd\" stroke=\"none\"/>"
            svg += "<path d=\"\(path(mean))\" fill=\"none\" stroke=\"#888888\" stroke-dasharray=\"4 3\"/>"
        }
        for (i, m) in e.methods.enumerated() {
            svg +=
                "<path d=\"\(path(values(m.faithfulness)))\" fill=\"none\" stroke=\"\(color(i))\" stroke-width=\"1.6\">"
            let auc = kind == .deletion ? m.faithfulness.deletion.auc : m.faithfulness.insertion.auc
            svg += "<title>\(ReportHTML.escape(m.method.rawValue)): AUC \(number(auc))</title></path>"
        }
        svg += String(
            format: "<line x1=%.0f y1=%.0f x2=%.0f y2=%.0f stroke=\"#444\"/>", left, height - bottom, width - right,
            height - bottom)
        svg += String(
            format: "<line x1=%.0f y1=%.0f x2=%.0f y2=%.0f stroke=\"#444\"/>", left, top, left, height - bottom)
        svg +=
            "<text x=\(Int(left)) y=\(Int(height - 10))>0</text><text x=\(Int(width - right - 8)) y=\(Int(height - 10))>1</text>"
        svg += "<text x=\(Int((width) / 2)) y=\(Int(height - 10))>k/n</text>"
        svg += String(
            format: "<text x=2 y=%.0f>%@</text><text x=2 y=%.0f>%@</text>", y(hi) + 4, number(hi), y(lo), number(lo))
        return svg + "</svg>"
    }

    static func faithfulnessTable(_ e: ExplanationEvaluation) -> String {
        let fractions = e.parameters.fractions.sorted(), r = e.random.count
        var html = "<h2>Faithfulness</h2><table><tr><th class=l>method</th><th>deletion AUC</th><th>beats random</th>"
        html += "<th>insertion AUC</th><th>beats random</th>"
        for p in fractions { html += "<th>compr. \(p)%</th>" }
        for p in fractions { html += "<th>suff. \(p)%</th>" }
        html += "<th>IG gap</th></tr>"
        for m in e.methods {
            let f = m.faithfulness
            html += "<tr><td class=l>\(ReportHTML.escape(m.method.rawValue))</td><td>\(number(f.deletion.auc))</td>"
            html += "<td>\(m.deletionBeats(e.random))/\(r)</td><td>\(number(f.insertion.auc))</td>"
            html += "<td>\(m.insertionBeats(e.random))/\(r)</td>"
            for p in fractions { html += "<td>\(number(f.comprehensiveness[p]))</td>" }
            for p in fractions { html += "<td>\(number(f.sufficiency[p]))</td>" }
            html += "<td>\(number(m.completenessGap))</td></tr>"
        }
        html += "<tr><td class=l>random (mean of \(r))</td><td>\(number(e.randomDeletionMean))</td><td></td>"
        html += "<td>\(number(e.randomInsertionMean))</td><td></td>"
        html += String(repeating: "<td></td>", count: 2 * fractions.count + 1) + "</tr></table>"
        html += "<p>Seeds of the random orders: \(e.random.map { String($0.seed) }.joined(separator: ", ")) "
        html += "(orders in the JSON).</p>"
        return html
    }

    /// Spearman as a diverging heatmap (blue positive, red negative) with the top-k overlap in each cell's title.
    static func agreement(_ a: Agreement) -> String {
        let m = a.methods.count, cell = 46, left = 130, top = 24
        var svg = "<h2>Agreement</h2><p>Spearman ρ of every pair of methods (cell colour; hover for the top-\(a.k) "
        svg += "overlap). Consensus: the mean of normalised ranks; it disagrees most with "
        svg += a.consensus.mostDisagreeing.map { ReportHTML.escape($0.rawValue) }.joined(separator: " and ") + ".</p>"
        svg += "<svg role=img width=\(left + m * cell + 4) height=\(top + m * cell + 4)>"
        for (j, method) in a.methods.enumerated() {
            svg += "<text x=\(left + j * cell + 2) y=16>\(ReportHTML.escape(String(method.rawValue.prefix(7))))</text>"
        }
        for i in 0..<m {
            svg += "<text x=2 y=\(top + i * cell + 27)>\(ReportHTML.escape(a.methods[i].rawValue))</text>"
            for j in 0..<m {
                let rho = a.spearman[i][j]
                svg += "<rect x=\(left + j * cell) y=\(top + i * cell) width=\(cell - 2) height=\(cell - 2) "
                svg += "fill=\"\(diverging(rho))\"><title>\(a.methods[i].rawValue) vs \(a.methods[j].rawValue): ρ "
                svg += "\(number(rho)), top-\(a.k) overlap \(number(a.overlap[i][j]))</title></rect>"
                svg += "<text x=\(left + j * cell + 8) y=\(top + i * cell + 27)>\(number(rho))</text>"
            }
        }
        svg += "</svg><table><tr><th class=l>method</th><th>ρ with consensus</th></tr>"
        for (method, rho) in zip(a.methods, a.consensus.spearman) {
            svg += "<tr><td class=l>\(ReportHTML.escape(method.rawValue))</td><td>\(number(rho))</td></tr>"
        }
        return svg + "</table>"
    }

    /// Blue for +1, white for 0, red for −1.
    static func diverging(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "#eeeeee" }
        let t = max(-1, min(1, x))
        let (r, g, b) =
            t >= 0
            ? (255 - t * 180, 255 - t * 120, 255.0) : (255.0, 255 + t * 150, 255 + t * 150)
        return String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
    }

    static func stability(_ s: Stability, variant: String?) -> String {
        var html = "<h2>Stability</h2><p>Spearman ρ between each method's scores on the prompt and on noisy copies "
        html += "(Gaussian noise of σ = \(number(s.sigma)) × the mean embedding norm \(number(s.meanEmbeddingNorm)) "
        html += "per coordinate; seeds \(s.noiseSeeds.map(String.init).joined(separator: ", ")))"
        if let variant { html += " and on the variant <code>\(ReportHTML.escape(variant))</code>" }
        html += ".</p><table><tr><th class=l>method</th>"
        for seed in s.noiseSeeds { html += "<th>seed \(seed)</th>" }
        html += "<th>mean</th>" + (variant == nil ? "" : "<th>variant</th>") + "</tr>"
        for m in s.methods {
            html += "<tr><td class=l>\(ReportHTML.escape(m.method.rawValue))</td>"
            for rho in m.noise { html += "<td>\(number(rho))</td>" }
            html +=
                "<td>\(number(m.meanNoise))</td>" + (variant == nil ? "" : "<td>\(number(m.variant))</td>") + "</tr>"
        }
        return html + "</table>"
    }

    /// The prompt's tokens coloured by the consensus score (darker: more important), one row per method below.
    static func tokens(_ report: ExplanationReport) -> String {
        let e = report.evaluation
        var rows: [(String, [Double])] = [("consensus", e.agreement.consensus.scores)]
        for m in e.methods { rows.append((m.method.rawValue, RankStatistics.normalizedRanks(m.scores))) }
        var html = "<h2>Tokens by importance</h2><p>Colour: the consensus score (first row) and each method's "
        html += "normalised rank; darker is more important.</p>"
        for (name, values) in rows {
            html += "<p><b>\(ReportHTML.escape(name))</b><br>"
            var svg = "", x = 0
            for (t, display) in report.displays.enumerated() {
                let w = 8 + 7 * min(display.count, 16)
                svg += "<rect x=\(x) y=0 width=\(w) height=20 fill=\"\(ReportHTML.ramp(values[t]))\">"
                svg += "<title>\(t): \(ReportHTML.escape(display)) \(number(values[t]))</title></rect>"
                svg += "<text x=\(x + 4) y=14>\(ReportHTML.escape(String(display.prefix(16))))</text>"
                x += w + 2
            }
            html += "<svg role=img width=\(x) height=22>\(svg)</svg></p>"
        }
        return html
    }

    static func comparison(_ c: ModelComparison) -> String {
        let a = c.sides.0, b = c.sides.1, esc = ReportHTML.escape
        var html = "<h2>Model disagreement</h2><p>\(esc(a.modelName)) predicts \(esc(a.targetText.debugDescription))"
        html += " (\(number(a.predictions.first?.probability))), \(esc(b.modelName)) "
        html += "\(esc(b.targetText.debugDescription)) (\(number(b.predictions.first?.probability))). Each model "
        html += "tokenises the text itself; a token's score is spread over its characters and summed per word.</p>"
        for (m, d) in zip(c.methods, c.disagreements) {
            html += "<h3>\(esc(m.rawValue)): Spearman over words \(number(d.spearman))</h3>"
            html += "<table><tr><th class=l>word</th><th>\(esc(a.modelName))</th><th>rank</th>"
            html += "<th>\(esc(b.modelName))</th><th>rank</th><th>diverges</th></tr>"
            for (i, w) in d.words.enumerated() {
                html += "<tr><td class=l>\(esc(w.text))</td><td>\(number(w.scores.0))</td><td>\(number(w.ranks.0))</td>"
                html += "<td>\(number(w.scores.1))</td><td>\(number(w.ranks.1))</td>"
                html += "<td>\(d.diverging.contains(i) ? "yes" : "")</td></tr>"
            }
            html += "</table>"
        }
        return html
    }
}
