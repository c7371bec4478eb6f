/// What a forward pass should compute besides the always-recorded internals.
public struct ForwardOptions: Sendable, Equatable {
    /// Positions whose next-token logits to compute; nil means the last position only. The LM head is the most
    /// expensive single GEMM of small models (262k × 640 for Gemma 3), so compute only what is needed.
    public var logitPositions: [Int]?
    /// How many workers split the pass (GEMM columns, attention heads, rows). Above 1, the pass sets OpenBLAS to
    /// one thread (a process-wide setting). Results differ from the serial pass only in the last bits of BLAS sums.
    public var workers: Int
    /// A value written to the whole trace before the pass, or nil to leave the memory for the pass to write.
    /// A test aid: with NaN, any element the pass fails to write shows up.
    public var prefill: Float?
    /// Largest trace the pass may allocate, in bytes; nil means half of the machine's physical memory. The trace
    /// grows with `L·H·n²` (attention) and `L·n·ffn`, so a long prompt on a big model is refused up front.
    public var maxTraceBytes: Int?
    /// Heads to zero and layers to skip during the pass (zero ablation); empty for the model as it is.
    public var ablation: Ablation
    /// Whether to run the LM head. False leaves the logits NaN, for callers that unembed many passes' final rows in
    /// one batch (the LM head is the largest single weight of small models).
    public var computeLogits = true
    /// The input embeddings `e_t` (`[n, d]`) to run instead of the tokens' own rows, or nil. `e_t` is what the first
    /// layer receives before anything positional is added (Gemma: the scaled row); GPT-2's position embeddings are
    /// still added. Integrated gradients and occlusion run interpolated or replaced rows this way.
    public var inputEmbeddings: [Float]?
    /// Independent copies of the prompt to run in one pass (`TraceShape.batch`), each with its own `[n, d]` block of
    /// `inputEmbeddings` (`[batch·n, d]`; without them every copy runs the tokens' own rows). The weights stream once
    /// for the whole batch.
    public var batch = 1

    public init(
        logitPositions: [Int]? = nil, workers: Int = 1, prefill: Float? = nil, maxTraceBytes: Int? = nil,
        ablation: Ablation = Ablation()
    ) {
        self.logitPositions = logitPositions
        self.workers = max(1, workers)
        self.prefill = prefill
        self.maxTraceBytes = maxTraceBytes
        self.ablation = ablation
    }

    /// Logits for every position.
    public static func allLogits(tokens: Int, workers: Int = 1) -> ForwardOptions {
        ForwardOptions(logitPositions: Array(0..<tokens), workers: workers)
    }
}
