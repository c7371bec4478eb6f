import ModelFormats
import Tensors

/// Reads named tensors of one checkpoint with the shapes an architecture expects, under an optional name prefix.
struct CheckpointReader {
    let checkpoint: SafetensorsCheckpoint
    /// Prefix stripped by some exporters and added by others (GPT-2's `transformer.`).
    let prefix: String

    func has(_ name: String) -> Bool { checkpoint.contains(prefix + name) }

    /// Elements of `name`, checked against `shape`.
    func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
        try checkpoint.tensor(prefix + name, shape: shape).elements
    }

    /// A projection stored as `nn.Linear` (`[out, in]`), with a bias exactly when the config says it has one (as
    /// transformers builds the layer: a stray bias tensor in the file is ignored, a missing one is an error).
    func linear(_ name: String, in inFeatures: Int, out outFeatures: Int, bias: Bool) throws -> Linear {
        let weight = try tensor(name + ".weight", [outFeatures, inFeatures])
        let b = bias ? try tensor(name + ".bias", [outFeatures]) : nil
        return Linear(weight: weight, bias: b, layout: .outIn, inFeatures: inFeatures, outFeatures: outFeatures)
    }
}
