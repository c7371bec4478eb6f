/// A contiguous row-major float32 tensor: a shape and its elements.
///
/// Value semantics (copy-on-write through `[Float]`), so a loaded weight can be shared between models, traces and
/// threads without copying. The last dimension is the fastest-varying one.
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public let shape: [Int]
    /// Elements in row-major order; `elements.count == shape.reduce(1, *)`.
    public var elements: [Float]

    /// Wraps `elements` with `shape`; the counts must agree (a broken invariant traps).
    public init(shape: [Int], elements: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(
            shape.reduce(1, *) == elements.count,
            "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(elements.count)")
        self.shape = shape
        self.elements = elements
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, elements: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    public var count: Int { elements.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Elements of row `i` of a tensor seen as `[shape[0], rest]`.
    public func row(_ i: Int) -> ArraySlice<Float> {
        let width = shape.count > 1 ? count / shape[0] : 1
        return elements[(i * width)..<((i + 1) * width)]
    }
}
