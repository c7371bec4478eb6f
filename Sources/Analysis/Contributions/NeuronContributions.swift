import Tensors
import Transformer

/// How much each FFN neuron and the residual stream contribute to the residual after one layer at one token
/// (`docs/contributions.md` §1.5): parts `act_i · W_out[i]` (through the frozen post-FFN norm when the model has one;
/// the output bias is not a part), one-off `mid[t]`, whole `post[t]`.
public struct NeuronContributions: Sendable, Equatable {
    public let layer: Int
    public let token: Int
    /// Weight per neuron `[ffn]`.
    public let weights: [Float]
    /// Weight of the residual stream.
    public let residual: Float
    /// Post-activation value per neuron `[ffn]`: what the down projection reads (for gated FFNs `act(gate)·up`).
    public let activations: [Float]

    /// One neuron's entry.
    public struct Neuron: Sendable, Equatable {
        public let index: Int
        public let weight: Float
        public let activation: Float
    }

    /// The `k` neurons with the largest weights, descending (ties: lower index first).
    public func top(_ k: Int) -> [Neuron] {
        TopK.largest(weights, k).map { Neuron(index: $0, weight: weights[$0], activation: activations[$0]) }
    }

    /// Computes the weights at (`layer`, `token`) in Double.
    public static func compute(model: DecoderModel, trace: Trace, layer l: Int, token t: Int) throws
        -> NeuronContributions
    {
        try ContributionInputs.check(model: model, trace: trace)
        try AnalysisError.check(l, below: model.info.layers, "layer")
        try AnalysisError.check(t, below: trace.shape.tokens, "token")
        let d = model.info.dModel, m = model.info.ffnDim
        let down = model.layers[l].ffn.down
        let activations = Array(ContributionInputs.row(trace.slice(.ffnPost, l), t, width: m))
        let whole = ContributionInputs.row(trace.post(l), t, width: d).map(Double.init)
        let mid = ContributionInputs.row(trace.mid(l), t, width: d)
        let outputScale =
            try FrozenPostNorm.multiplier(
                model.layers[l].postFFNNorm, trace: trace,
                field: .postFFNNormScale, layer: l, token: t)
            ?? [Double](repeating: 1, count: d)
        let size = whole.reduce(0.0) { $0 + abs($1) }
        let proximities = (0..<m).map { i in
            let a = Double(activations[i])
            let direction = down.inputColumn(i)
            var distance = 0.0
            for j in 0..<d {
                distance += abs(a * Double(direction[j]) * outputScale[j] - whole[j] + Proximity.distanceEpsilon)
            }
            return max(size - distance, Proximity.floor)
        }
        let rest = Proximity.proximity(part: mid, whole: whole.map { Float($0) })
        let total = proximities.reduce(rest, +)
        return NeuronContributions(
            layer: l, token: t, weights: proximities.map { Float($0 / total) },
            residual: Float(rest / total), activations: activations)
    }
}
