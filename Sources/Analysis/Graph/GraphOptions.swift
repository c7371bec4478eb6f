/// How the contribution graph is cut, as LLM-TT's two controls do (`docs/contributions.md` §1.9).
public struct GraphOptions: Sendable, Hashable {
    /// The contribution threshold τ in `[0, 1]` (LLM-TT's slider: 0.01 to 0.10, default 0.04).
    public let threshold: Double
    /// On (LLM-TT's default): threshold and renormalise the contributions at τ, then keep every path edge with weight
    /// above 0. Off: renormalise at 0 and keep path edges with weight above τ.
    public let renormalize: Bool

    public static let defaultThreshold = 0.04

    public init(threshold: Double = GraphOptions.defaultThreshold, renormalize: Bool = true) throws {
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw AnalysisError("threshold must be a number from 0 to 1, got \(threshold)")
        }
        self.threshold = threshold
        self.renormalize = renormalize
    }

    /// The threshold the contributions are renormalised at.
    public var renormalizingThreshold: Double { renormalize ? threshold : 0 }

    /// The weight a path edge must exceed.
    public var pathThreshold: Double { renormalize ? 0 : threshold }
}
