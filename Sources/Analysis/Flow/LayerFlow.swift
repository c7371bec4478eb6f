import Transformer

/// How much each layer changes each position's residual stream (`docs/analyses.md` §4): the cosine between a layer's
/// input and output, the relative update norm, and the attention and FFN shares of the update.
public struct LayerFlow: Sendable, Equatable {
    public let layer: Int
    /// `cos(input, output)` per position.
    public let cosine: [Double]
    /// `1 − cos`, the notebooks' "information loss".
    public let informationLoss: [Double]
    /// `‖output − input‖ / ‖input‖` per position.
    public let relativeUpdate: [Double]
    /// `‖attn_out‖ / (‖attn_out‖ + ‖mlp_out‖)` per position.
    public let attentionShare: [Double]
    /// `1 − attentionShare`.
    public let ffnShare: [Double]

    /// Every layer of a run (the input of layer 0 is the embeddings).
    public static func compute(trace: Trace) -> [LayerFlow] {
        let n = trace.shape.tokens, d = trace.shape.dModel
        func row(_ block: ArraySlice<Float>, _ q: Int) -> [Double] {
            block[(block.startIndex + q * d)..<(block.startIndex + (q + 1) * d)].map(Double.init)
        }
        func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return (0..<trace.shape.layers).map { l in
            var cosine: [Double] = [], relative: [Double] = [], attention: [Double] = []
            for q in 0..<n {
                let input = row(trace.pre(l), q), output = row(trace.post(l), q)
                let dot = zip(input, output).reduce(0) { $0 + $1.0 * $1.1 }
                cosine.append(dot / (norm(input) * norm(output)))
                relative.append(norm(zip(output, input).map { $0 - $1 }) / norm(input))
                let a = norm(row(trace.slice(.attentionOutput, l), q)), f = norm(row(trace.slice(.mlpOutput, l), q))
                attention.append(a / (a + f))
            }
            return LayerFlow(
                layer: l, cosine: cosine, informationLoss: cosine.map { 1 - $0 }, relativeUpdate: relative,
                attentionShare: attention, ffnShare: attention.map { 1 - $0 })
        }
    }
}
