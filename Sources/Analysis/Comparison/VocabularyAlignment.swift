import Foundation

/// The vocabulary strings two models share (`docs/analyses.md` §5, model comparison). Each token id is keyed by the
/// string its tokenizer shows for it on its own (the caller's display strings: a token's bytes with whitespace made
/// visible, a stray byte as `<0xXX>`, a special token as its content), so `Ġthe` and `▁the` are both `␣the`. Ids of
/// one model with the same string are one entry; their probabilities add.
public struct VocabularyAlignment: Sendable {
    /// The shared strings, in order of first appearance in model A's vocabulary.
    public let shared: [String]
    /// Per token id of each model, the index of its string in `shared`, or -1 for a string the other model lacks.
    public let sharedIndexA: [Int32]
    public let sharedIndexB: [Int32]

    /// Aligns the vocabularies `a` and `b` (a display string per token id).
    public init(a: [String], b: [String]) {
        var inB = Set<String>()
        inB.reserveCapacity(b.count)
        for s in b { inB.insert(s) }
        var index = [String: Int32]()
        var shared: [String] = []
        var indexA = [Int32](repeating: -1, count: a.count)
        for (id, s) in a.enumerated() where inB.contains(s) {
            if let i = index[s] {
                indexA[id] = i
            } else {
                let i = Int32(shared.count)
                index[s] = i
                shared.append(s)
                indexA[id] = i
            }
        }
        self.shared = shared
        sharedIndexA = indexA
        sharedIndexB = b.map { index[$0] ?? -1 }
    }

    /// Compares two next-token distributions, `logProbabilitiesA` over model A's vocabulary and
    /// `logProbabilitiesB` over model B's (natural-log probabilities, each summing to 1 in probability).
    public func compare(logProbabilitiesA a: [Double], logProbabilitiesB b: [Double]) throws
        -> SharedDistributionComparison
    {
        guard a.count == sharedIndexA.count, b.count == sharedIndexB.count else {
            throw AnalysisError(
                "distributions over \(a.count) and \(b.count) tokens for vocabularies of "
                    + "\(sharedIndexA.count) and \(sharedIndexB.count)")
        }
        let pa = Self.accumulate(a, sharedIndexA, count: shared.count)
        let pb = Self.accumulate(b, sharedIndexB, count: shared.count)
        return SharedDistributionComparison(
            shared: shared, probabilitiesA: pa.shared, probabilitiesB: pb.shared,
            outsideA: pa.outside, outsideB: pb.outside)
    }

    /// The probability of each shared string and the mass on tokens whose string is not shared.
    private static func accumulate(_ logp: [Double], _ index: [Int32], count: Int) -> (
        shared: [Double], outside: Double
    ) {
        var shared = [Double](repeating: 0, count: count)
        var outside = 0.0
        for (id, lp) in logp.enumerated() {
            let p = lp.isFinite ? Foundation.exp(lp) : 0
            let i = Int(index[id])
            if i >= 0 { shared[i] += p } else { outside += p }
        }
        return (shared, outside)
    }
}
