import Transformer

/// A vector a block (or part of one) wrote into the residual stream: what "promoted tokens" unembed.
public enum BlockOutput: Sendable, Hashable, CustomStringConvertible {
    /// The attention block's output at a token (`mid − pre`, including the output bias).
    case attention(layer: Int, token: Int)
    /// One head's part of the attention output at a token: `Σ_k A[h][t,k] · (v[k] − b_V) · W_O[h]`, through the
    /// frozen post-attention norm when the model has one; no bias.
    case head(layer: Int, token: Int, head: Int)
    /// The FFN block's output at a token (`post − mid`).
    case ffn(layer: Int, token: Int)
    /// A neuron's output direction `W_out[i]` (independent of the prompt; LLM-TT's neuron panel).
    case neuron(layer: Int, neuron: Int)
    /// A neuron's part at a token: `act_i · W_out[i]`, through the frozen post-FFN norm when the model has one.
    case scaledNeuron(layer: Int, token: Int, neuron: Int)

    /// LLM-TT's caption style: `L5 ▸ attn`, `L5 ▸ attn ▸ H3`, `L5 ▸ ffn`, `L5 ▸ ffn ▸ N1234`.
    public var description: String {
        switch self {
        case .attention(let l, _): return "L\(l) ▸ attn"
        case .head(let l, _, let h): return "L\(l) ▸ attn ▸ H\(h)"
        case .ffn(let l, _): return "L\(l) ▸ ffn"
        case .neuron(let l, let i), .scaledNeuron(let l, _, let i): return "L\(l) ▸ ffn ▸ N\(i)"
        }
    }

    /// The vector (`[d]`).
    public func vector(model: DecoderModel, trace: Trace) throws -> [Float] {
        try ContributionInputs.check(model: model, trace: trace)
        let d = model.info.dModel, n = trace.shape.tokens
        func check(layer l: Int, token t: Int?) throws {
            try AnalysisError.check(l, below: model.info.layers, "layer")
            if let t { try AnalysisError.check(t, below: n, "token") }
        }
        switch self {
        case .attention(let l, let t):
            try check(layer: l, token: t)
            return Array(ContributionInputs.row(trace.slice(.attentionOutput, l), t, width: d))
        case .ffn(let l, let t):
            try check(layer: l, token: t)
            return Array(ContributionInputs.row(trace.slice(.mlpOutput, l), t, width: d))
        case .neuron(let l, let i):
            try check(layer: l, token: nil)
            try AnalysisError.check(i, below: model.info.ffnDim, "neuron")
            return model.layers[l].ffn.down.inputColumn(i)
        case .scaledNeuron(let l, let t, let i):
            try check(layer: l, token: t)
            try AnalysisError.check(i, below: model.info.ffnDim, "neuron")
            let activation = trace.slice(.ffnPost, l)[trace.slice(.ffnPost, l).startIndex + t * model.info.ffnDim + i]
            let out = model.layers[l].ffn.down.inputColumn(i).map { $0 * activation }
            return try Self.frozen(
                out, model.layers[l].postFFNNorm, trace: trace, field: .postFFNNormScale, layer: l,
                token: t)
        case .head(let l, let t, let h):
            try check(layer: l, token: t)
            try AnalysisError.check(h, below: model.info.heads, "head")
            return try headOutput(model: model, trace: trace, layer: l, token: t, head: h)
        }
    }

    private func headOutput(model: DecoderModel, trace: Trace, layer l: Int, token t: Int, head h: Int) throws
        -> [Float]
    {
        let block = model.layers[l].attention
        let n = trace.shape.tokens, d = model.info.dModel, hd = block.headDim, g = block.kvHead(of: h)
        let kvWidth = block.kvHeads * hd
        let values = trace.slice(.values, l), pattern = trace.attention(layer: l, head: h)
        var context = [Double](repeating: 0, count: hd)
        for k in 0...t {
            let a = Double(pattern[pattern.startIndex + t * n + k])
            guard a != 0 else { continue }
            for i in 0..<hd {
                let bias = block.value.bias.map { Double($0[g * hd + i]) } ?? 0
                context[i] += a * (Double(values[values.startIndex + k * kvWidth + g * hd + i]) - bias)
            }
        }
        // Σ_i context_i · W_O[h·hd + i, :], in Double.
        var sum = [Double](repeating: 0, count: d)
        for i in 0..<hd {
            for (j, w) in block.output.inputColumn(h * hd + i).enumerated() { sum[j] += context[i] * Double(w) }
        }
        return try Self.frozen(
            sum.map { Float($0) }, model.layers[l].postAttentionNorm, trace: trace,
            field: .postAttentionNormScale, layer: l, token: t)
    }

    /// `vector` through the block's post-norm frozen at token `t`, or unchanged without one.
    private static func frozen(
        _ vector: [Float], _ norm: Norm?, trace: Trace, field: TraceField, layer: Int,
        token t: Int
    ) throws -> [Float] {
        guard let multiplier = try FrozenPostNorm.multiplier(norm, trace: trace, field: field, layer: layer, token: t)
        else { return vector }
        return zip(vector, multiplier).map { Float(Double($0) * $1) }
    }
}
