/// What a forward pass should compute besides the always-recorded internals.
public struct ForwardOptions: Sendable, Equatable {
    /// Positions whose next-token logits to compute; nil means the last position only. The LM head is the most
    /// expensive single GEMM of small models (262k × 640 for Gemma 3), so compute only what is needed.
    public var logitPositions: [Int]?

    public init(logitPositions: [Int]? = nil) {
        self.logitPositions = logitPositions
    }

    /// Logits for every position.
    public static func allLogits(tokens: Int) -> ForwardOptions { ForwardOptions(logitPositions: Array(0..<tokens)) }
}
