/// What a backward pass records besides the residual gradients.
public struct BackwardOptions: Sendable, Equatable {
    /// How many workers split the pass (GEMM columns, attention heads). Above 1, OpenBLAS is set to one thread.
    public var workers: Int
    /// Whether to keep `∂f/∂A[l,h]` for every attention pattern (`[L][H, n, n]`, as large as the trace's attention):
    /// attention × gradient needs it.
    public var recordAttention: Bool

    public init(workers: Int = 1, recordAttention: Bool = false) {
        self.workers = max(1, workers)
        self.recordAttention = recordAttention
    }
}
