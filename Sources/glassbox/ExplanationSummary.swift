import Analysis
import Foundation
import Reports

/// What `glassbox explain` prints without `--json`: the verdict, then one line per method.
enum ExplanationSummary {
    static func text(_ report: ExplanationReport) -> String {
        let e = report.evaluation, r = e.random.count
        func f(_ x: Double?) -> String { x.map { String(format: "%8.3f", $0) } ?? "       –" }
        var lines = [
            "target \(report.targetText.debugDescription) after position \(e.target.position): f(E) = "
                + String(format: "%.4g", e.value) + ", f(E') = " + String(format: "%.4g", e.baselineValue)
                + " (\(e.parameters.baseline) baseline), \(e.passes) passes, "
                + String(format: "%.1f s", report.seconds),
            "", report.verdict.text, "",
            "method               del_AUC  beats  ins_AUC  beats  compr20  suff20  noise_rho  consensus_rho"
        ]
        for (i, m) in e.methods.enumerated() {
            let fa = m.faithfulness
            lines.append(
                m.method.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0) + f(fa.deletion.auc)
                    + String(format: "  %2d/%d", m.deletionBeats(e.random), r) + f(fa.insertion.auc)
                    + String(format: "  %2d/%d", m.insertionBeats(e.random), r) + f(fa.comprehensiveness[20])
                    + f(fa.sufficiency[20]) + "  " + f(e.stability.methods[i].meanNoise) + "       "
                    + f(e.agreement.consensus.spearman[i]))
        }
        lines.append(
            "random (mean of \(r))".padding(toLength: 19, withPad: " ", startingAt: 0) + f(e.randomDeletionMean)
                + "       " + f(e.randomInsertionMean))
        if let c = report.comparison {
            lines.append("")
            lines.append(
                "\(c.sides.0.modelName) predicts \(c.sides.0.targetText.debugDescription), \(c.sides.1.modelName) "
                    + "\(c.sides.1.targetText.debugDescription)")
            for (m, d) in zip(c.methods, c.disagreements) {
                let words = d.diverging.prefix(5).map { d.words[$0].text.debugDescription }.joined(separator: ", ")
                lines.append(
                    "\(m.rawValue): Spearman over \(d.words.count) words " + f(d.spearman)
                        + (words.isEmpty ? "" : "; diverging: \(words)"))
            }
        }
        return lines.joined(separator: "\n")
    }
}
