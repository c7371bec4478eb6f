/// Working buffers of one forward pass, sized from the trace shape and allocated once before it.
struct ForwardScratch {
    /// `[n, d]` normalised residual (block inputs, final norm).
    let normed: UnsafeMutablePointer<Float>
    /// `[n, H·headDim]` queries.
    let query: UnsafeMutablePointer<Float>
    /// `[n, kvHeads·headDim]` keys.
    let key: UnsafeMutablePointer<Float>
    /// `[n, H·headDim]` concatenated head outputs.
    let context: UnsafeMutablePointer<Float>
    /// `[n, ffn]` up projection of a gated FFN.
    let up: UnsafeMutablePointer<Float>
    /// `[P, d]` normed rows of the logit positions.
    let headInput: UnsafeMutablePointer<Float>
    /// The tiles packed weights are decoded into, one per worker.
    let tiles: WeightTiles
    private let block: UnsafeMutablePointer<Float>

    init(shape s: TraceShape, gated: Bool, workers: Int) {
        tiles = WeightTiles(workers: workers)
        let n = s.rows
        let sizes = [
            n * s.dModel, n * s.heads * s.headDim, n * s.kvHeads * s.headDim, n * s.heads * s.headDim,
            gated ? n * s.ffnDim : 0, s.batch * s.logitPositions.count * s.dModel
        ]
        block = .allocate(capacity: sizes.reduce(0, +))
        block.initialize(repeating: 0, count: sizes.reduce(0, +))
        var offset = 0
        var pointers: [UnsafeMutablePointer<Float>] = []
        for size in sizes {
            pointers.append(block + offset)
            offset += size
        }
        (normed, query, key, context, up, headInput) = (
            pointers[0], pointers[1], pointers[2], pointers[3],
            pointers[4], pointers[5]
        )
    }

    func deallocate() { block.deallocate() }
}
