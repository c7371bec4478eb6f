import Analysis
import Foundation
import Reports

/// The text `glassbox compare` prints: a column per model, then the distribution comparison and the layer metrics on
/// the relative-depth axis.
enum TwoModelComparisonSummary {
    static func text(_ c: TwoModelComparison) -> String {
        let (a, b) = (c.sides[0], c.sides[1])
        let d = c.distribution
        var lines: [String] = []
        func row(_ label: String, _ x: String, _ y: String) {
            lines.append(pad(label, 22) + pad(x, 30) + y)
        }
        row("", a.name, b.name)
        row(
            "architecture", "\(a.info.architecture), \(a.info.layers) layers",
            "\(b.info.architecture), \(b.info.layers) layers")
        row("tokens", "\(a.tokens.count)", "\(b.tokens.count)")
        for i in 0..<min(3, a.predictions.count, b.predictions.count) {
            row(
                i == 0 ? "next token" : "", "\(a.display(a.predictions[i].id)) \(format(a.predictions[i].probability))",
                "\(b.display(b.predictions[i].id)) \(format(b.predictions[i].probability))")
        }
        row(
            "lens settles", "layer \(a.lens.settledLayer) (depth \(format(a.depth(ofLayer: a.lens.settledLayer))))",
            "layer \(b.lens.settledLayer) (depth \(format(b.depth(ofLayer: b.lens.settledLayer))))")
        func classes(_ s: TwoModelComparison.Side) -> String {
            s.classCounts.filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ")
        }
        row("pattern classes", classes(a), classes(b))
        func anomalies(_ s: TwoModelComparison.Side) -> String {
            "\(s.anomalies.highAttention.count) high, \(s.anomalies.uniformAttention.count) uniform, "
                + "\(s.anomalies.deadHeads.count) dead, \(s.anomalies.outlierDimensions.count) outlier dims"
        }
        row("anomalies", anomalies(a), anomalies(b))
        lines.append("")
        lines.append(
            "shared vocabulary strings: \(d.shared.count) (of \(c.vocabularySizes[0]) and \(c.vocabularySizes[1]))")
        lines.append("probability outside the shared strings: \(format(d.outsideA)) and \(format(d.outsideB))")
        lines.append(
            "KL(A‖B) \(format(d.klAB)) nats, KL(B‖A) \(format(d.klBA)) nats, Jensen–Shannon \(format(d.jensenShannon))")
        lines.append("")
        lines.append("layer means at relative depths ¼, ½, ¾ and 1 (entropy / first-token / previous-token share):")
        for s in [a, b] {
            let cells = [0.25, 0.5, 0.75, 1].map { depth -> String in
                let l = max(0, Int((depth * Double(s.info.layers)).rounded(.up)) - 1)
                return "layer \(l): \(format(s.layerMean("entropy", layer: l)))/"
                    + "\(format(s.layerMean("first_token", layer: l)))/"
                    + "\(format(s.layerMean("previous_token", layer: l)))"
            }
            lines.append("  \(s.name): " + cells.joined(separator: "   "))
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func format(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "\(x)" }
}
