import Analysis
import Transformer

/// The test oracle for the fast attention contributions: LLM-TT's way, with the decomposition `D[q,k,h,:]`
/// materialised part by part in Double from the trace and the weights, then `Proximity.weights`.
enum NaiveAttentionContributions {
    struct Layer {
        /// `[q][k][h]`, 0 where k is not a part.
        var weights: [Double]
        var residual: [Double]
        /// `mid − pre − Σ D'`: the L1 norm of what no part explains.
        var unattributedL1: [Double]
    }

    static func compute(model: DecoderModel, trace: Trace, layer l: Int) -> Layer {
        let block = model.layers[l].attention
        let n = trace.shape.tokens, d = model.info.dModel, H = block.heads, hd = block.headDim
        let kvWidth = block.kvHeads * hd
        let values = Array(trace.slice(.values, l)), pre = Array(trace.pre(l)), mid = Array(trace.mid(l))
        let attention = Array(trace.slice(.attention, l))
        // W_O rows per input feature: column `i` of [out, in] is what head feature i writes.
        let columns = (0..<(H * hd)).map { block.output.inputColumn($0).map(Double.init) }
        var normWeight: [Double]? = nil, scale = [Double](repeating: 1, count: n)
        if let norm = model.layers[l].postAttentionNorm, case .rmsNorm(let offset) = norm.kind {
            normWeight = norm.weight.map { Double($0 + offset) }
            scale = trace.slice(.postAttentionNormScale, l).map(Double.init)
        }
        var result = Layer(
            weights: [Double](repeating: 0, count: n * n * H), residual: [Double](repeating: 0, count: n),
            unattributedL1: [Double](repeating: 0, count: n))
        for q in 0..<n {
            let visible = (0...q).filter { k in block.window.map { q - k < $0 } ?? true }
            var parts: [[Float]] = []
            var explained = [Double](repeating: 0, count: d)
            for k in visible {
                for h in 0..<H {
                    let a = Double(attention[(h * n + q) * n + k])
                    let g = block.kvHead(of: h)
                    var part = [Double](repeating: 0, count: d)
                    for i in 0..<hd {
                        let v = Double(values[k * kvWidth + g * hd + i]) - Double(block.value.bias?[g * hd + i] ?? 0)
                        for j in 0..<d { part[j] += a * v * columns[h * hd + i][j] }
                    }
                    if let normWeight { for j in 0..<d { part[j] *= scale[q] * normWeight[j] } }
                    for j in 0..<d { explained[j] += part[j] }
                    parts.append(part.map { Float($0) })
                }
            }
            let whole = Array(mid[(q * d)..<((q + 1) * d)]), rest = Array(pre[(q * d)..<((q + 1) * d)])
            let w = Proximity.weights(parts: parts, oneOff: rest, whole: whole)
            for (i, k) in visible.enumerated() {
                for h in 0..<H { result.weights[(q * n + k) * H + h] = w.parts[i * H + h] }
            }
            result.residual[q] = w.oneOff
            result.unattributedL1[q] = (0..<d).reduce(0.0) {
                $0 + abs(Double(whole[$1]) - Double(rest[$1]) - explained[$1])
            }
        }
        return result
    }
}
