import Foundation

/// Straightforward array-based versions of the kernels, computed in Double: the test oracles for the fast paths.
///
/// Shapes follow the fast kernels; inputs and outputs are row-major `[Float]`. Never used on a hot path.
public enum NaiveKernels {
    /// `[rows, out] = x[rows, in] · W`, W `[out, in]` (`.outIn`) or `[in, out]` (`.inOut`), plus `bias`.
    public static func matmul(
        _ x: [Float], weight: [Float], layout: WeightLayout, bias: [Float]?,
        rows: Int, inFeatures: Int, outFeatures: Int
    ) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outFeatures)
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var sum = Double(bias?[o] ?? 0)
                for i in 0..<inFeatures {
                    let w = layout == .outIn ? weight[o * inFeatures + i] : weight[i * outFeatures + o]
                    sum += Double(x[r * inFeatures + i]) * Double(w)
                }
                y[r * outFeatures + o] = Float(sum)
            }
        }
        return y
    }

    /// LayerNorm of each row of `[rows, dim]`.
    public static func layerNorm(
        _ x: [Float], weight: [Float], bias: [Float]?, eps: Double,
        rows: Int, dim: Int
    ) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for r in 0..<rows {
            let row = x[(r * dim)..<((r + 1) * dim)].map(Double.init)
            let mean = row.reduce(0, +) / Double(dim)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(dim)
            for j in 0..<dim {
                let normed = (row[j] - mean) / (variance + eps).squareRoot()
                y[r * dim + j] = Float(normed * Double(weight[j]) + Double(bias?[j] ?? 0))
            }
        }
        return y
    }

    /// RMSNorm of each row of `[rows, dim]` with weight `(offset + w)`.
    public static func rmsNorm(
        _ x: [Float], weight: [Float], weightOffset: Float, eps: Double,
        rows: Int, dim: Int
    ) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for r in 0..<rows {
            let row = x[(r * dim)..<((r + 1) * dim)].map(Double.init)
            let meanSquare = row.map { $0 * $0 }.reduce(0, +) / Double(dim)
            for j in 0..<dim {
                y[r * dim + j] = Float(
                    row[j] / (meanSquare + eps).squareRoot()
                        * (Double(weightOffset) + Double(weight[j])))
            }
        }
        return y
    }

    /// Masked softmax of `[rows, keys]` scores (query `q` at position `queryOffset + q`), with optional window
    /// and soft-cap, as `causalSoftmax`.
    public static func causalSoftmax(
        _ scores: [Float], rows: Int, keys: Int, queryOffset: Int = 0,
        window: Int? = nil, softcap: Float? = nil
    ) -> [Float] {
        var y = [Float](repeating: 0, count: scores.count)
        for q in 0..<rows {
            let p = queryOffset + q
            let admissible = (0..<keys).filter { k in k <= p && (window.map { p - k < $0 } ?? true) }
            let values = admissible.map { k -> Double in
                let s = Double(scores[q * keys + k])
                return softcap.map { Double($0) * Foundation.tanh(s / Double($0)) } ?? s
            }
            let maximum = values.max() ?? 0
            let exps = values.map { Foundation.exp($0 - maximum) }
            let total = exps.reduce(0, +)
            for (i, k) in admissible.enumerated() { y[q * keys + k] = Float(exps[i] / total) }
        }
        return y
    }

    /// Rotary embedding of `[rows, heads·headDim]` at positions `0..<rows`.
    public static func rope(
        _ x: [Float], rows: Int, heads: Int, headDim: Int, inverseFrequencies: [Double],
        style: RoPEStyle
    ) -> [Float] {
        var y = x
        let pairs = inverseFrequencies.count
        for r in 0..<rows {
            for h in 0..<heads {
                let base = r * heads * headDim + h * headDim
                for i in 0..<pairs {
                    let (ia, ib) = style == .rotateHalf ? (i, i + pairs) : (2 * i, 2 * i + 1)
                    let angle = Double(r) * inverseFrequencies[i]
                    let a = Double(x[base + ia])
                    let b = Double(x[base + ib])
                    y[base + ia] = Float(a * Foundation.cos(angle) - b * Foundation.sin(angle))
                    y[base + ib] = Float(b * Foundation.cos(angle) + a * Foundation.sin(angle))
                }
            }
        }
        return y
    }

    /// The activation of each element, in Double.
    public static func activation(_ x: [Float], _ activation: Activation) -> [Float] {
        x.map { v in
            let d = Double(v)
            switch activation {
            case .geluTanh:
                return Float(
                    0.5 * d
                        * (1
                            + Foundation.tanh(
                                (2 / Double.pi).squareRoot()
                                    * (d + 0.044715 * d * d * d))))
            case .geluErf: return Float(0.5 * d * (1 + Foundation.erf(d / 2.0.squareRoot())))
            case .silu: return Float(d / (1 + Foundation.exp(-d)))
            case .relu: return Float(max(0, d))
            }
        }
    }
}
