/// The result of a backward pass: `f` and its gradient at every residual point (and, if asked, every attention
/// pattern) of one run, or of each copy of a batched pass (blocks `[batch·n, d]`; the copies are independent, so
/// each copy's rows are the gradient of its own `f`).
public struct Gradients: Sendable {
    /// The run's dimensions.
    public let shape: TraceShape
    /// What was differentiated.
    public let target: GradientTarget
    /// `f` itself (of the first copy of a batched pass).
    public var value: Double { values[0] }
    /// `f` of each copy.
    public let values: [Double]
    /// `∂f/∂residual`, `[L + 1][n, d]`: block 0 is `∂f/∂pre(0)`, which equals `∂f/∂e` (the input embeddings), block
    /// `l + 1` is `∂f/∂post(l)` (= `∂f/∂pre(l + 1)`).
    public let residual: [Float]
    /// `∂f/∂mid(l)`, `[L][n, d]`.
    public let mid: [Float]
    /// `∂f/∂A[l,h]`, `[L][H, n, n]`, or nil unless `BackwardOptions.recordAttention`.
    public let attention: [Float]?

    private var block: Int { shape.rows * shape.dModel }

    /// `∂f/∂e_t` for every position, `[n, d]`.
    public var inputEmbeddings: ArraySlice<Float> { residual[0..<block] }

    /// `∂f/∂pre(l)`, `[n, d]`.
    public func pre(_ layer: Int) -> ArraySlice<Float> { residual[(layer * block)..<((layer + 1) * block)] }

    /// `∂f/∂mid(l)`, `[n, d]`.
    public func mid(_ layer: Int) -> ArraySlice<Float> { mid[(layer * block)..<((layer + 1) * block)] }

    /// `∂f/∂post(l)`, `[n, d]`.
    public func post(_ layer: Int) -> ArraySlice<Float> { pre(layer + 1) }

    /// `∂f/∂A[l,h]`, `[q, k]`, if recorded.
    public func attention(layer: Int, head: Int) -> ArraySlice<Float>? {
        guard let attention else { return nil }
        let size = shape.tokens * shape.tokens
        let start = (layer * shape.heads + head) * size
        return attention[start..<(start + size)]
    }
}
