/// One entry of a GGUF tensor table, validated against the file.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// Tensor name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Dimensions in GGUF order: `ne[0]` is the fastest-varying (row) dimension.
    public let ne: [Int]
    /// Element type.
    public let type: GGUFTensorType
    /// Offset of the data relative to the start of the data section (a multiple of the alignment).
    public let offset: Int
    /// Absolute byte range of the data in the file.
    public let byteRange: Range<Int>

    /// The HF / PyTorch shape: `ne` reversed, so a 2-D weight with ne = [in, out] is `[out, in]`.
    public var shape: [Int] { ne.reversed() }

    /// Number of elements (1 for a tensor with no dimensions).
    public var elementCount: Int { ne.reduce(1, *) }

    /// Number of data bytes.
    public var byteCount: Int { byteRange.count }
}
