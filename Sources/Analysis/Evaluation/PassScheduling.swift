import Transformer

/// How the curves' independent forward passes use the workers: each worker runs its own batches with one BLAS
/// thread (`split`), or one batch at a time with the workers inside the pass (`shared`: GEMM columns, heads, rows).
/// `glassbox bench explain --scheduling` measures both.
public struct PassScheduling: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        case split, shared
    }
    public var mode: Mode
    /// Rows (copies × tokens) of one batched pass at most.
    public var batchRows: Int

    public init(mode: Mode = .split, batchRows: Int = 512) {
        self.mode = mode
        self.batchRows = max(1, batchRows)
    }

    /// The perturbed passes of one run under this scheduling.
    func passes(model: DecoderModel, tokens: [Int], target: GradientTarget, workers: Int) -> PerturbedPasses {
        var passes = PerturbedPasses(
            model: model, tokens: tokens, target: target, workers: mode == .split ? workers : 1)
        passes.passWorkers = mode == .split ? 1 : workers
        passes.batchRows = batchRows
        return passes
    }
}
