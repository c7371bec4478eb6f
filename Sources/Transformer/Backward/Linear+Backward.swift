import Tensors

extension Linear {
    /// `dInput[rows, in]` (+)= `dOutput[rows, out] · W`: the gradient of `apply` with respect to its input (the bias
    /// does not enter). Input features are split over `pool`.
    ///
    /// An `[out, in]` weight is summed over in tiles of `WeightTiles.tileRows` output rows, dense or packed alike (a
    /// packed tile is decoded into `tiles`), so a packed LM head never needs a decoded copy and both forms give the
    /// same bits.
    func backward(
        _ dInput: UnsafeMutablePointer<Float>, inputStride: Int? = nil, _ dOutput: UnsafePointer<Float>,
        outputStride: Int? = nil, rows: Int, accumulate: Bool = false, pool: WorkerPool, tiles: WeightTiles? = nil
    ) {
        let ldx = inputStride ?? inFeatures, ldy = outputStride ?? outFeatures
        guard layout == .outIn else {
            weight.withElements { w in
                matmulInputGradient(
                    pool: pool, dInput, inputStride: ldx, dOutput, outputStride: ldy, weight: w, layout: layout,
                    accumulate: accumulate, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
            }
            return
        }
        let tileRows = WeightTiles.tileRows(inFeatures: inFeatures)
        /// Sums the tiles in order, the weights of a tile from `tileWeights`.
        func run(_ tileWeights: (Range<Int>) -> UnsafePointer<Float>) {
            for start in stride(from: 0, to: outFeatures, by: tileRows) {
                let tile = start..<min(outFeatures, start + tileRows)
                matmulInputGradient(
                    pool: pool, dInput, inputStride: ldx, dOutput + tile.lowerBound, outputStride: ldy,
                    weight: tileWeights(tile), layout: .outIn, accumulate: accumulate || start > 0, rows: rows,
                    inFeatures: inFeatures, outFeatures: tile.count)
            }
        }
        switch weight.storage {
        case .dense(let elements):
            elements.withUnsafeBufferPointer { w in run { tile in w.baseAddress! + tile.lowerBound * inFeatures } }
        case .packed(let packed):
            let scratch = tiles ?? WeightTiles(workers: 1)
            let buffer = scratch.buffer(0, capacity: tileRows * inFeatures)
            let target = DisjointPointer(buffer), width = inFeatures
            run { tile in
                pool.forEachChunk(of: tile.count) { part in
                    packed.decodeRows(
                        (tile.lowerBound + part.lowerBound)..<(tile.lowerBound + part.upperBound),
                        into: target.base + part.lowerBound * width)
                }
                return UnsafePointer(buffer)
            }
        }
    }
}
