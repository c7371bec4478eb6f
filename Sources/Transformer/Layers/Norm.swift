public import Tensors

/// A normalisation layer: LayerNorm (GPT-2) or RMSNorm (Llama, Gemma).
public struct Norm: Sendable {
    /// Which normalisation.
    public enum Kind: Sendable, Equatable {
        /// `(x − μ)/σ · w + b`.
        case layerNorm
        /// `x/rms · (offset + w)`; offset 1 for Gemma HF checkpoints, 0 otherwise.
        case rmsNorm(weightOffset: Float)
    }

    public let kind: Kind
    /// `[dim]`.
    public let weight: [Float]
    /// `[dim]` (LayerNorm only, optional).
    public let bias: [Float]?
    public let eps: Double

    public init(kind: Kind, weight: [Float], bias: [Float]? = nil, eps: Double) {
        self.kind = kind
        self.weight = weight
        self.bias = bias
        self.eps = eps
    }

    /// Width normalised.
    public var dim: Int { weight.count }

    /// Number of parameters.
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    /// Normalises `rows` rows of `input` into `output` (may alias), recording the mean and scale per row; rows are
    /// split over `pool`.
    public func apply(
        _ output: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?,
        scale: UnsafeMutablePointer<Float>?, _ input: UnsafePointer<Float>, rows: Int,
        pool: WorkerPool
    ) {
        let o = DisjointPointer(output), x = SharedReadPointer(input)
        let m = mean.map(DisjointPointer.init), s = scale.map(DisjointPointer.init)
        pool.forEachChunk(of: rows) { r in
            apply(
                o.base + r.lowerBound * dim, mean: m.map { $0.base + r.lowerBound },
                scale: s.map { $0.base + r.lowerBound }, x.base + r.lowerBound * dim, rows: r.count)
        }
    }

    /// Normalises `rows` rows of `input` into `output` (may alias), recording the mean and scale per row.
    public func apply(
        _ output: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?,
        scale: UnsafeMutablePointer<Float>?, _ input: UnsafePointer<Float>, rows: Int
    ) {
        weight.withUnsafeBufferPointer { w in
            switch kind {
            case .layerNorm:
                if let bias {
                    bias.withUnsafeBufferPointer { b in
                        layerNormForward(
                            output, mean: mean, rstd: scale, input, weight: w.baseAddress!,
                            bias: b.baseAddress, eps: eps, rows: rows, dim: dim)
                    }
                } else {
                    layerNormForward(
                        output, mean: mean, rstd: scale, input, weight: w.baseAddress!, bias: nil,
                        eps: eps, rows: rows, dim: dim)
                }
            case .rmsNorm(let offset):
                rmsNormForward(
                    output, rstd: scale, input, weight: w.baseAddress!, weightOffset: offset, eps: eps,
                    rows: rows, dim: dim)
                if let mean { mean.update(repeating: 0, count: rows) }
            }
        }
    }
}
