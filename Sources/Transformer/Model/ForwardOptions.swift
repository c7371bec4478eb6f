/// What a forward pass should compute besides the always-recorded internals.
public struct ForwardOptions: Sendable, Equatable {
    /// Positions whose next-token logits to compute; nil means the last position only. The LM head is the most
    /// expensive single GEMM of small models (262k × 640 for Gemma 3), so compute only what is needed.
    public var logitPositions: [Int]?
    /// How many workers split the pass (GEMM columns, attention heads, rows). Run OpenBLAS at one thread when
    /// this is above 1. Results differ from the serial pass only in the last bits of BLAS sums.
    public var workers: Int

    public init(logitPositions: [Int]? = nil, workers: Int = 1) {
        self.logitPositions = logitPositions
        self.workers = max(1, workers)
    }

    /// Logits for every position.
    public static func allLogits(tokens: Int, workers: Int = 1) -> ForwardOptions {
        ForwardOptions(logitPositions: Array(0..<tokens), workers: workers)
    }
}
