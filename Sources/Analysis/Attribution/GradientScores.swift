import Transformer

/// The scores read off one backward pass: saliency, gradient × input, gradient flow, attention × gradient.
enum GradientScores {
    /// `‖g_t‖₂` or `‖g_t‖₁` of each `d`-row of `gradient` (`[n, d]`).
    static func rowNorms(_ gradient: ArraySlice<Float>, dModel d: Int, norm: AttributionNorm = .l2) -> [Double] {
        stride(from: gradient.startIndex, to: gradient.endIndex, by: d).map { start in
            var sum = 0.0
            for j in start..<(start + d) {
                let g = Double(gradient[j])
                sum += norm == .l2 ? g * g : abs(g)
            }
            return norm == .l2 ? sum.squareRoot() : sum
        }
    }

    /// `Σ_j g_{t,j} · e_{t,j}` for each position.
    static func dotRows(_ gradient: ArraySlice<Float>, _ rows: [Float], dModel d: Int) -> [Double] {
        (0..<(rows.count / d)).map { t in
            var sum = 0.0
            for j in 0..<d { sum += Double(gradient[gradient.startIndex + t * d + j]) * Double(rows[t * d + j]) }
            return sum
        }
    }

    /// The gradient-flow map of one backward pass.
    static func flow(_ gradients: Gradients) -> GradientFlowMap {
        let L = gradients.shape.layers, d = gradients.shape.dModel
        return GradientFlowMap(
            pre: (0..<L).map { rowNorms(gradients.pre($0), dModel: d) },
            mid: (0..<L).map { rowNorms(gradients.mid($0), dModel: d) },
            post: (0..<L).map { rowNorms(gradients.post($0), dModel: d) })
    }

    /// `R[l][q, k] = mean_h ReLU(A[l,h][q,k] · ∂f/∂A[l,h][q,k])` for every layer, and the per-token score
    /// `Σ_l Σ_q R[l][q, k]`. `gradients` must have recorded the attention gradients.
    static func attentionTimesGradient(trace: Trace, gradients: Gradients) -> (maps: [[Double]], scores: [Double]) {
        let s = trace.shape, n = s.tokens
        var scores = [Double](repeating: 0, count: n)
        let maps = (0..<s.layers).map { l in
            var map = [Double](repeating: 0, count: n * n)
            for h in 0..<s.heads {
                let a = trace.attention(layer: l, head: h), g = gradients.attention(layer: l, head: h)!
                for i in 0..<(n * n) {
                    map[i] += max(0, Double(a[a.startIndex + i]) * Double(g[g.startIndex + i]))
                }
            }
            for i in 0..<(n * n) {
                map[i] /= Double(s.heads)
                scores[i % n] += map[i]
            }
            return map
        }
        return (maps, scores)
    }
}
