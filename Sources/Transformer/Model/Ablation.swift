/// Parts of the model removed from a forward pass (zero ablation), to measure what they contribute.
///
/// A zeroed head contributes nothing to its layer's attention output: its slice of the output projection's input is
/// zero at every position (the projection's bias, shared by all heads, stays). A skipped layer passes its input
/// through unchanged: neither its attention nor its FFN output is added to the residual stream. The trace still
/// records what the removed parts computed (attention patterns, FFN activations) but their outputs
/// (`attentionOutput`, `mlpOutput`) are what was actually added.
public struct Ablation: Sendable, Equatable, Hashable {
    /// `(layer, head)` pairs whose output is zeroed.
    public var heads: Set<HeadIndex>
    /// Layers whose output is their input.
    public var skippedLayers: Set<Int>

    public init(heads: Set<HeadIndex> = [], skippedLayers: Set<Int> = []) {
        self.heads = heads
        self.skippedLayers = skippedLayers
    }

    /// Zeroes one head.
    public static func head(layer: Int, head: Int) -> Ablation {
        Ablation(heads: [HeadIndex(layer: layer, head: head)])
    }

    /// Skips one layer.
    public static func layer(_ layer: Int) -> Ablation { Ablation(skippedLayers: [layer]) }

    /// Nothing removed.
    public var isEmpty: Bool { heads.isEmpty && skippedLayers.isEmpty }

    /// The heads zeroed in `layer`, in order.
    func zeroedHeads(in layer: Int) -> [Int] { heads.filter { $0.layer == layer }.map(\.head).sorted() }

    /// Throws for a layer or head the model does not have.
    func validate(layers: Int, heads count: Int) throws {
        if let bad = heads.first(where: { !(0..<layers).contains($0.layer) || !(0..<count).contains($0.head) }) {
            throw TransformerError(
                "cannot ablate head \(bad.head) of layer \(bad.layer): the model has \(layers) layers "
                    + "of \(count) heads")
        }
        if let bad = skippedLayers.first(where: { !(0..<layers).contains($0) }) {
            throw TransformerError("cannot skip layer \(bad): the model has \(layers) layers")
        }
    }
}

/// One attention head of one layer.
public struct HeadIndex: Sendable, Equatable, Hashable, Comparable {
    public var layer: Int
    public var head: Int

    public init(layer: Int, head: Int) {
        self.layer = layer
        self.head = head
    }

    public static func < (a: HeadIndex, b: HeadIndex) -> Bool { (a.layer, a.head) < (b.layer, b.head) }
}
