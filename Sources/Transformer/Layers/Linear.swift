public import Tensors

/// A projection `y = x · W (+ b)` whose weight is stored as the checkpoint stores it.
public struct Linear: Sendable {
    /// `[out, in]` (`.outIn`) or `[in, out]` (`.inOut`).
    public let weight: [Float]
    /// `[out]` or nil.
    public let bias: [Float]?
    public let layout: WeightLayout
    public let inFeatures: Int
    public let outFeatures: Int

    /// Wraps weights, checking that the sizes agree with the declared features.
    public init(weight: [Float], bias: [Float]?, layout: WeightLayout, inFeatures: Int, outFeatures: Int) {
        precondition(
            weight.count == inFeatures * outFeatures,
            "weight has \(weight.count) elements, "
                + "expected \(inFeatures)×\(outFeatures)")
        precondition(bias == nil || bias!.count == outFeatures, "bias size mismatch")
        self.weight = weight
        self.bias = bias
        self.layout = layout
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// Number of parameters.
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    /// The weight as `[out, in]` regardless of storage: row `o` is what output `o` reads.
    public func outputRow(_ o: Int) -> [Float] {
        switch layout {
        case .outIn: return Array(weight[(o * inFeatures)..<((o + 1) * inFeatures)])
        case .inOut: return (0..<inFeatures).map { weight[$0 * outFeatures + o] }
        }
    }

    /// The `[out]` vector that input feature `i` writes with weight 1: column `i` of `[out, in]` (for an FFN's down
    /// projection, neuron `i`'s output direction).
    public func inputColumn(_ i: Int) -> [Float] {
        switch layout {
        case .outIn: return (0..<outFeatures).map { weight[$0 * inFeatures + i] }
        case .inOut: return Array(weight[(i * outFeatures)..<((i + 1) * outFeatures)])
        }
    }

    /// `output[rows, out] = input[rows, in] · W (+ b)`, rows strided as given, output columns split over `pool`.
    public func apply(
        _ output: UnsafeMutablePointer<Float>, outputStride: Int? = nil,
        _ input: UnsafePointer<Float>, inputStride: Int? = nil, rows: Int,
        pool: WorkerPool = .serial
    ) {
        weight.withUnsafeBufferPointer { w in
            (bias ?? []).withUnsafeBufferPointer { b in
                matmul(
                    pool: pool, output, outputStride: outputStride ?? outFeatures, input,
                    inputStride: inputStride ?? inFeatures, weight: w.baseAddress!, layout: layout,
                    bias: bias == nil ? nil : b.baseAddress, rows: rows, inFeatures: inFeatures,
                    outFeatures: outFeatures)
            }
        }
    }
}
