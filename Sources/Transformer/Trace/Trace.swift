/// Everything recorded inside one forward pass: residual streams, attention, values, FFN activations, norm scales
/// and logits, in one block of memory planned from `TraceShape`.
///
/// The forward pass writes it; analyses only read it. A finished Trace is an immutable value, safe to share.
public struct Trace: Sendable {
    /// Dimensions.
    public let shape: TraceShape
    /// Token ids of the run.
    public let tokens: [Int]
    /// Where each field lives in `storage`.
    public let layout: TraceLayout
    /// All recorded floats.
    public let storage: [Float]

    /// A trace from its parts, e.g. read back from a cache: `storage` must hold exactly what `shape` plans.
    public init(shape: TraceShape, tokens: [Int], storage: [Float]) throws {
        let layout = TraceLayout(shape: shape)
        guard storage.count == layout.totalCount, tokens.count == shape.tokens else {
            throw TransformerError(
                "a stored trace has \(storage.count) values for \(tokens.count) tokens; its shape "
                    + "needs \(layout.totalCount) values for \(shape.tokens) tokens")
        }
        self.init(shape: shape, tokens: tokens, layout: layout, storage: storage)
    }

    init(shape: TraceShape, tokens: [Int], layout: TraceLayout, storage: [Float]) {
        self.shape = shape
        self.tokens = tokens
        self.layout = layout
        self.storage = storage
    }

    /// Block `block` of `field` (the layer index for per-layer fields; 0 otherwise).
    public func slice(_ field: TraceField, _ block: Int = 0) -> ArraySlice<Float> {
        storage[layout[field].range(block)]
    }

    /// Residual entering layer `layer` (`[n, d]`); layer 0 receives the embeddings.
    public func pre(_ layer: Int) -> ArraySlice<Float> { slice(.residual, layer) }

    /// Residual after the attention add of `layer` (`[n, d]`).
    public func mid(_ layer: Int) -> ArraySlice<Float> { slice(.mid, layer) }

    /// Residual leaving `layer` (`[n, d]`), before the final norm.
    public func post(_ layer: Int) -> ArraySlice<Float> { slice(.residual, layer + 1) }

    /// Attention probabilities of one head of `layer`, `[q, k]` (`[n, n]`).
    public func attention(layer: Int, head: Int) -> ArraySlice<Float> {
        let all = slice(.attention, layer)
        let size = shape.tokens * shape.tokens
        return all[(all.startIndex + head * size)..<(all.startIndex + (head + 1) * size)]
    }

    /// Next-token logits after `position`, if they were requested for this run.
    public func logits(at position: Int) -> ArraySlice<Float>? { logits(copy: 0, at: position) }

    /// Next-token logits after `position` in copy `copy` of a batched pass (`TraceShape.batch`), if requested.
    public func logits(copy: Int, at position: Int) -> ArraySlice<Float>? {
        guard let index = shape.logitPositions.firstIndex(of: position), copy >= 0 && copy < shape.batch else {
            return nil
        }
        let all = slice(.logits)
        let v = shape.vocabSize, row = copy * shape.logitPositions.count + index
        return all[(all.startIndex + row * v)..<(all.startIndex + (row + 1) * v)]
    }
}
