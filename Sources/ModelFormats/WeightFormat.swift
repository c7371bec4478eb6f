/// How a loaded model keeps its 2-D weights (projections, embedding table, LM head) in memory.
public enum WeightFormat: String, Sendable, CaseIterable {
    /// Everything converted to float32 at load: the fastest passes, 4 bytes per parameter.
    case f32
    /// Quantised GGUF blocks and F16/BF16 safetensors matrices kept as stored in the memory-mapped file and decoded a
    /// tile at a time when used (float32 matrices stay float32). The results are bit-identical to `f32`.
    case quantized

    /// The default: weights as stored.
    public static let standard = WeightFormat.quantized
}
