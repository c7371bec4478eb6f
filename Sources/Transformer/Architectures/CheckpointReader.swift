import ModelFormats
import Tensors

/// Reads an architecture's tensors by HF name from a `WeightSource`, with the shapes the architecture expects.
struct CheckpointReader {
    let source: any WeightSource

    /// Reads a safetensors checkpoint whose names carry `prefix` (GPT-2's `transformer.`, Gemma's `model.`).
    init(checkpoint: SafetensorsCheckpoint, prefix: String, format: WeightFormat) {
        source = SafetensorsWeights(checkpoint: checkpoint, prefix: prefix, format: format)
    }

    init(source: any WeightSource) {
        self.source = source
    }

    func has(_ name: String) -> Bool { source.shape(of: name) != nil }

    /// Elements of `name`, checked against `shape`.
    func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
        try source.tensor(name, shape: shape)
    }

    /// The 2-D tensor `name`, checked against `shape`, packed when the source keeps weights as stored.
    func matrix(_ name: String, _ shape: [Int]) throws -> WeightMatrix {
        try source.matrix(name, shape: shape)
    }

    /// Checks that `name` exists with `shape` without reading it: used to validate dimensions from a config before
    /// anything is sized from them.
    func expectShape(_ name: String, _ shape: [Int]) throws {
        let stored = source.shape(of: name)
        guard stored == shape else {
            throw ModelFormatError(
                path: source.location,
                stored.map {
                    "tensor '\(name)' has shape \($0), expected \(shape) from the model's configuration"
                } ?? "missing tensor '\(name)'")
        }
    }

    /// A projection stored as `nn.Linear` (`[out, in]`), with a bias exactly when the config says it has one (as
    /// transformers builds the layer: a stray bias tensor in the file is ignored, a missing one is an error).
    func linear(_ name: String, in inFeatures: Int, out outFeatures: Int, bias: Bool) throws -> Linear {
        let weight = try matrix(name + ".weight", [outFeatures, inFeatures])
        let b = bias ? try tensor(name + ".bias", [outFeatures]) : nil
        return Linear(weight: weight, bias: b, layout: .outIn, inFeatures: inFeatures, outFeatures: outFeatures)
    }
}
