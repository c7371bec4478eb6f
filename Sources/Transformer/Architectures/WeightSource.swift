import ModelFormats

/// Where an architecture's weights come from, addressed by their Hugging Face names (`model.layers.0.mlp.up_proj.weight`).
///
/// Architectures are written once against HF names; a safetensors checkpoint answers them directly (under a prefix),
/// a GGUF file through its architecture's name map.
protocol WeightSource: Sendable {
    /// The file or directory the weights come from, for error messages.
    var location: String { get }
    /// The stored shape (PyTorch order) of `name`, or nil when it is absent.
    func shape(of name: String) -> [Int]?
    /// The elements of `name` as float32, checked to have `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> [Float]
    /// The 2-D tensor `name`, checked to have `shape`, kept as stored when the source keeps weights packed.
    func matrix(_ name: String, shape: [Int]) throws -> WeightMatrix
}

/// A safetensors checkpoint whose tensor names carry `prefix` before the HF names architectures use; F16/BF16
/// matrices stay half-size when `format` is `.quantized`.
struct SafetensorsWeights: WeightSource {
    let checkpoint: SafetensorsCheckpoint
    let prefix: String
    let format: WeightFormat

    var location: String { checkpoint.directory.path }

    func shape(of name: String) -> [Int]? { checkpoint.shape(of: prefix + name) }

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        try checkpoint.tensor(prefix + name, shape: shape).elements
    }

    func matrix(_ name: String, shape: [Int]) throws -> WeightMatrix {
        precondition(shape.count == 2, "a matrix has two dimensions")
        if format == .quantized, let packed = try checkpoint.packedMatrix(prefix + name, shape: shape) {
            return WeightMatrix(packed: packed)
        }
        return WeightMatrix(dense: try tensor(name, shape: shape), rows: shape[0], columns: shape[1])
    }
}
