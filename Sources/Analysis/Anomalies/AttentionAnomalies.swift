import Foundation
import Transformer

/// The "problem tokens" of one run (`docs/analyses.md` §3). Each finding carries where it is, the value and the
/// threshold that fired it.
public struct AttentionAnomalies: Sendable, Equatable {
    /// One weight above `highAttention`.
    public struct AttentionHit: Sendable, Equatable {
        public let layer: Int
        public let head: Int
        public let query: Int
        public let value: Double
    }

    /// Every high-attention hit on one key, ordered by (layer, head, query).
    public struct HighAttention: Sendable, Equatable {
        public let key: Int
        public let hits: [AttentionHit]
        /// The strongest hit.
        public var strongest: AttentionHit { hits.max { $0.value < $1.value }! }
    }

    /// A head measure that crossed its threshold (uniformity for `uniform_attention`; for `dead_head`, the largest
    /// ratio of the head's output norm to the layer's mean over the positions).
    public struct HeadFinding: Sendable, Equatable {
        public let layer: Int
        public let head: Int
        public let value: Double
    }

    /// One residual value far above its position's median magnitude.
    public struct OutlierHit: Sendable, Equatable {
        public let layer: Int
        public let position: Int
        public let dimension: Int
        public let value: Double
        /// `|value| / median |x|` at that position.
        public let ratio: Double
    }

    public let parameters: AnomalyParameters
    /// Grouped by key, ascending.
    public let highAttention: [HighAttention]
    public let uniformAttention: [HeadFinding]
    public let deadHeads: [HeadFinding]
    /// Ordered by (layer, position, dimension).
    public let outlierActivations: [OutlierHit]

    /// The residual dimensions with at least one outlier, ascending (the API lists outliers per dimension).
    public var outlierDimensions: [Int] { Array(Set(outlierActivations.map(\.dimension))).sorted() }

    /// Runs the detectors of `docs/analyses.md` §3 on a run. `headOutputNorms` comes from `HeadOutputNorms` (it needs
    /// the model).
    public init(trace: Trace, headOutputNorms: HeadOutputNorms, parameters: AnomalyParameters = .init()) {
        self.parameters = parameters
        let n = trace.shape.tokens, L = trace.shape.layers, H = trace.shape.heads, d = trace.shape.dModel
        var byKey: [Int: [AttentionHit]] = [:]
        var uniform: [HeadFinding] = []
        for l in 0..<L {
            for h in 0..<H {
                let a = trace.attention(layer: l, head: h)
                let base = a.startIndex
                if n > 2 {
                    for q in 2..<n {
                        for k in 0..<q where k != 0 || parameters.includeFirstToken {
                            let value = Double(a[base + q * n + k])
                            if value > parameters.highAttention {
                                byKey[k, default: []].append(AttentionHit(layer: l, head: h, query: q, value: value))
                            }
                        }
                    }
                }
                if n > parameters.uniformMinRow {
                    var sum = 0.0
                    for q in parameters.uniformMinRow..<n {
                        let u = 1 / Double(q + 1)
                        var tv = 0.0
                        for k in 0...q { tv += abs(Double(a[base + q * n + k]) - u) }
                        sum += 1 - 0.5 * tv
                    }
                    let value = sum / Double(n - parameters.uniformMinRow)
                    if value >= parameters.uniformThreshold {
                        uniform.append(HeadFinding(layer: l, head: h, value: value))
                    }
                }
            }
        }
        highAttention = byKey.keys.sorted().map { HighAttention(key: $0, hits: byKey[$0]!) }
        uniformAttention = uniform

        var dead: [HeadFinding] = []
        for (l, layer) in headOutputNorms.norms.enumerated() {
            let means = (0..<n).map { q in layer.reduce(0.0) { $0 + $1[q] } / Double(layer.count) }
            for (h, norms) in layer.enumerated() {
                let ratios = (0..<n).map { norms[$0] / means[$0] }
                if (0..<n).allSatisfy({ norms[$0] < parameters.deadFraction * means[$0] }) {
                    dead.append(HeadFinding(layer: l, head: h, value: ratios.max()!))
                }
            }
        }
        deadHeads = dead

        var outliers: [OutlierHit] = []
        for l in 0..<L {
            let post = trace.post(l)
            for q in 0..<n {
                let row = post[(post.startIndex + q * d)..<(post.startIndex + (q + 1) * d)].map { Double($0) }
                let median = Self.median(row.map(abs))
                for (j, x) in row.enumerated() where abs(x) > parameters.outlierFactor * median {
                    outliers.append(OutlierHit(layer: l, position: q, dimension: j, value: x, ratio: abs(x) / median))
                }
            }
        }
        outlierActivations = outliers
    }

    /// The median (the mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), c = sorted.count
        return c % 2 == 1 ? sorted[c / 2] : 0.5 * (sorted[c / 2 - 1] + sorted[c / 2])
    }
}
