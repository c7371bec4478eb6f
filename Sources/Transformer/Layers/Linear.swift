public import Tensors

/// A projection `y = x · W (+ b)` whose weight is stored as the checkpoint stores it.
public struct Linear: Sendable {
    /// `[out, in]` (`.outIn`) or `[in, out]` (`.inOut`), dense or packed.
    public let weight: WeightMatrix
    /// `[out]` or nil.
    public let bias: [Float]?
    public let layout: WeightLayout
    public let inFeatures: Int
    public let outFeatures: Int

    /// Wraps a weight, checking that its shape agrees with the declared features and layout.
    public init(weight: WeightMatrix, bias: [Float]?, layout: WeightLayout, inFeatures: Int, outFeatures: Int) {
        let expected = layout == .outIn ? (outFeatures, inFeatures) : (inFeatures, outFeatures)
        precondition(
            weight.rows == expected.0 && weight.columns == expected.1,
            "weight is \(weight.rows)×\(weight.columns), expected \(expected.0)×\(expected.1)")
        precondition(bias == nil || bias!.count == outFeatures, "bias size mismatch")
        self.weight = weight
        self.bias = bias
        self.layout = layout
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// Wraps float32 weights.
    public init(weight: [Float], bias: [Float]?, layout: WeightLayout, inFeatures: Int, outFeatures: Int) {
        let rows = layout == .outIn ? outFeatures : inFeatures
        self.init(
            weight: WeightMatrix(dense: weight, rows: rows, columns: weight.count / max(1, rows)), bias: bias,
            layout: layout, inFeatures: inFeatures, outFeatures: outFeatures)
    }

    /// Number of parameters.
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    /// The weight as `[out, in]` regardless of storage: row `o` is what output `o` reads.
    public func outputRow(_ o: Int) -> [Float] {
        layout == .outIn ? weight.row(o) : weight.column(o)
    }

    /// The `[out]` vector that input feature `i` writes with weight 1: column `i` of `[out, in]` (for an FFN's down
    /// projection, neuron `i`'s output direction).
    public func inputColumn(_ i: Int) -> [Float] {
        layout == .outIn ? weight.column(i) : weight.row(i)
    }

    /// `output[rows, out] = input[rows, in] · W (+ b)`, rows strided as given, output columns split over `pool`.
    ///
    /// An `[out, in]` weight is multiplied in tiles of `WeightTiles.tileRows` output rows, dense or packed alike (a
    /// packed tile is decoded into `tiles`, or into a buffer of the call's own when none is given), so both give the
    /// same bits at the same worker count.
    public func apply(
        _ output: UnsafeMutablePointer<Float>, outputStride: Int? = nil,
        _ input: UnsafePointer<Float>, inputStride: Int? = nil, rows: Int,
        pool: WorkerPool = .serial, tiles: WeightTiles? = nil
    ) {
        let ldo = outputStride ?? outFeatures, ldx = inputStride ?? inFeatures
        (bias ?? []).withUnsafeBufferPointer { b in
            let biasBase = bias == nil ? nil : b.baseAddress
            guard layout == .outIn else {
                weight.withElements { w in
                    matmul(
                        pool: pool, output, outputStride: ldo, input, inputStride: ldx, weight: w, layout: layout,
                        bias: biasBase, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
                }
                return
            }
            applyTiled(output, ldo, input, ldx, bias: biasBase, rows: rows, pool: pool, tiles: tiles)
        }
    }

    private func applyTiled(
        _ output: UnsafeMutablePointer<Float>, _ ldo: Int, _ input: UnsafePointer<Float>, _ ldx: Int,
        bias: UnsafePointer<Float>?, rows: Int, pool: WorkerPool, tiles: WeightTiles?
    ) {
        let tileRows = WeightTiles.tileRows(inFeatures: inFeatures)
        let out = DisjointPointer(output), x = SharedReadPointer(input), b = bias.map(SharedReadPointer.init)
        let inFeatures = self.inFeatures
        /// Multiplies each worker's output columns tile by tile, the weights of a tile from `tileWeights`.
        func run(_ tileWeights: @Sendable (_ worker: Int, _ tile: Range<Int>) -> UnsafePointer<Float>) {
            pool.forEachIndexedChunk(of: outFeatures, alignment: 16) { worker, columns in
                for start in stride(from: columns.lowerBound, to: columns.upperBound, by: tileRows) {
                    let tile = start..<min(columns.upperBound, start + tileRows)
                    matmul(
                        out.base + tile.lowerBound, outputStride: ldo, x.base, inputStride: ldx,
                        weight: tileWeights(worker, tile), layout: .outIn, weightStride: inFeatures,
                        bias: b.map { $0.base + tile.lowerBound }, rows: rows, inFeatures: inFeatures,
                        outFeatures: tile.count)
                }
            }
        }
        switch weight.storage {
        case .dense(let elements):
            elements.withUnsafeBufferPointer { w in
                let base = SharedReadPointer(w.baseAddress!)
                run { _, tile in base.base + tile.lowerBound * inFeatures }
            }
        case .packed(let packed):
            let scratch = tiles.flatMap { $0.workers >= pool.workers ? $0 : nil } ?? WeightTiles(workers: pool.workers)
            run { worker, tile in
                let buffer = scratch.buffer(worker, capacity: tileRows * inFeatures)
                packed.decodeRows(tile, into: buffer)
                return UnsafePointer(buffer)
            }
        }
    }
}
