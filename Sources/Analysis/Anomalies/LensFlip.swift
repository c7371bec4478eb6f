import Transformer

/// Where the model's final prediction at a position appears under the logit lens (`docs/analyses.md` §3,
/// `logit_lens_flip`): the top-1 token of every layer's output, the first layer whose top-1 is the final one, and the
/// layer from which it stays top-1.
public struct LensFlip: Sendable, Equatable {
    public let position: Int
    /// The lens top-1 of `post[l]` for each layer `l` (final norm, then the LM head).
    public let topByLayer: [Int]
    /// The last layer's top-1: the model's prediction.
    public var final: Int { topByLayer.last! }
    /// The first layer whose top-1 is `final`.
    public let firstLayer: Int
    /// The first layer from which every later layer's top-1 is `final`.
    public let settledLayer: Int
    /// Whether the prediction, once it appears, stays (`firstLayer == settledLayer`).
    public var stays: Bool { firstLayer == settledLayer }

    /// Every position of a run.
    public static func compute(
        model: DecoderModel, trace: Trace, workers: Int = 1,
        shouldContinue: () -> Bool = { true }
    ) throws -> [LensFlip] {
        try flips(
            NextTokenTable.lensGrid(
                model: model, trace: trace, point: .post, k: 1, workers: workers,
                shouldContinue: shouldContinue))
    }

    /// Every position's flip from a lens grid of `post[l]`, normalized (`[L][n]`, top token first), such as
    /// `NextTokenTable.lensGrid(point: .post)` computed for another view.
    public static func flips(_ grid: [[[NextTokenPrediction]]]) -> [LensFlip] {
        guard let n = grid.first?.count else { return [] }
        return (0..<n).map { q in LensFlip(position: q, topByLayer: grid.map { $0[q][0].id }) }
    }

    /// The flip of one position from its top-1 token per layer (at least one layer).
    public init(position: Int, topByLayer tops: [Int]) {
        precondition(!tops.isEmpty, "a lens flip needs at least one layer")
        let final = tops.last!
        var settled = tops.count - 1
        while settled > 0 && tops[settled - 1] == final { settled -= 1 }
        self.position = position
        topByLayer = tops
        firstLayer = tops.firstIndex(of: final)!
        settledLayer = settled
    }
}
