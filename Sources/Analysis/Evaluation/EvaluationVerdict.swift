import Foundation

/// The verdict of an evaluation in words, each sentence citing the numbers behind it: which explainer is most
/// faithful against the random orders, which are no better than chance, which is least stable, and which disagree
/// most with the consensus.
public struct EvaluationVerdict: Sendable, Equatable {
    /// The method whose AUCs beat the random means by the most: `(mean deletion − deletion) + (insertion − mean
    /// insertion)`, nil when none beats them.
    public let mostFaithful: EvaluationMethod?
    /// The methods whose deletion AUC is at least the random mean and whose insertion AUC at most it.
    public let chance: [EvaluationMethod]
    public let sentences: [String]

    public var text: String { sentences.joined(separator: " ") }

    public init(_ e: ExplanationEvaluation) {
        let delMean = e.randomDeletionMean, insMean = e.randomInsertionMean, r = e.random.count
        func margin(_ m: MethodEvaluation) -> Double {
            (delMean - m.faithfulness.deletion.auc) + (m.faithfulness.insertion.auc - insMean)
        }
        let best = e.methods.max { margin($0) < margin($1) }.flatMap { margin($0) > 0 ? $0 : nil }
        let chance = e.methods.filter {
            $0.faithfulness.deletion.auc >= delMean && $0.faithfulness.insertion.auc <= insMean
        }
        var sentences: [String] = []
        if let best {
            sentences.append(
                "\(Self.capitalized(best.method.label))'s deletion AUC is \(Self.number(best.faithfulness.deletion.auc)) "
                    + "against \(Self.number(delMean)) for random orders (below \(best.deletionBeats(e.random)) of "
                    + "\(r)), its insertion AUC \(Self.number(best.faithfulness.insertion.auc)) against "
                    + "\(Self.number(insMean)) (above \(best.insertionBeats(e.random)) of \(r)): the most faithful "
                    + "explainer here.")
        } else {
            sentences.append(
                "No explainer beats the random orders (mean deletion AUC \(Self.number(delMean)), insertion "
                    + "\(Self.number(insMean))): none is faithful here.")
        }
        for m in chance {
            sentences.append(
                "\(Self.capitalized(m.method.label)) is no better than chance here (deletion AUC "
                    + "\(Self.number(m.faithfulness.deletion.auc)), insertion \(Self.number(m.faithfulness.insertion.auc)))."
            )
        }
        let stable = e.stability.methods.compactMap { s in s.meanNoise.map { (s.method, $0) } }
        if let least = stable.min(by: { $0.1 < $1.1 }), let most = stable.max(by: { $0.1 < $1.1 }), stable.count > 1 {
            sentences.append(
                "Under noise of σ = \(Self.number(e.stability.sigma)) × the mean embedding norm, \(least.0.label) is the "
                    + "least stable (mean Spearman \(Self.number(least.1)) over \(e.stability.noiseSeeds.count) "
                    + "copies) and \(most.0.label) the most (\(Self.number(most.1))).")
        }
        let variant = e.stability.methods.compactMap { s in s.variant.map { (s.method, $0) } }
        if let least = variant.min(by: { $0.1 < $1.1 }) {
            sentences.append(
                "Against the variant prompt, \(least.0.label) changes most (Spearman \(Self.number(least.1))).")
        }
        let against = e.agreement.consensus.mostDisagreeing.map { m -> String in
            let i = e.agreement.methods.firstIndex(of: m)!
            return "\(m.label) (ρ = \(e.agreement.consensus.spearman[i].map(Self.number) ?? "undefined"))"
        }
        if !against.isEmpty {
            sentences.append("The consensus ranking disagrees most with \(against.joined(separator: " and ")).")
        }
        mostFaithful = best?.method
        self.chance = chance.map(\.method)
        self.sentences = sentences
    }

    static func number(_ x: Double) -> String { String(format: "%.3g", x) }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
