/// Working buffers of one backward pass, sized from the trace shape and allocated once before it. Activations the
/// trace does not keep (normed inputs, queries and keys, the up projection, outputs before a post-norm) are
/// recomputed into them layer by layer.
struct BackwardScratch {
    /// Sizes per row are for all `batch · n` rows. `[n, d]`: a recomputed normed input; the output of a block before
    /// its post-norm; their gradients.
    let normed, raw, dRaw, dNormed: UnsafeMutablePointer<Float>
    /// `[n, H·hd]`: queries before their norm, after norm and RoPE, the recomputed context and the gradients.
    let queryRaw, query, context, dContext, dQuery: UnsafeMutablePointer<Float>
    /// `[n, kvH·hd]`: keys before and after norm and RoPE, and the key and value gradients.
    let keyRaw, key, dKey, dValue: UnsafeMutablePointer<Float>
    /// `[n·H]` and `[n·kvH]`: the q/k norms' `1/rms` per head row.
    let queryScale, keyScale: UnsafeMutablePointer<Float>
    /// `[batch][H, n, n]` score gradients; `[batch][H, n, hd]` each query head's share of the key and value gradients.
    let dScores, dKeyPerHead, dValuePerHead: UnsafeMutablePointer<Float>
    /// `[n, ffn]`: the up projection of a gated FFN and the gradients of the hidden layer.
    let up, dHidden, dGate, dUp: UnsafeMutablePointer<Float>
    /// `[V]` logits of the target position and their gradient; `[d]` the normed final row and its gradient.
    let logits, dLogits, headRow, dHeadRow: UnsafeMutablePointer<Float>
    /// The tiles packed weights are decoded into, one per worker.
    let tiles: WeightTiles
    private let block: UnsafeMutablePointer<Float>

    init(shape s: TraceShape, workers: Int) {
        tiles = WeightTiles(workers: workers)
        let sizes = Self.sizes(shape: s)
        let total = sizes.reduce(0, +)
        block = .allocate(capacity: total)
        block.initialize(repeating: 0, count: total)
        var pointers: [UnsafeMutablePointer<Float>] = []
        var offset = 0
        for size in sizes {
            pointers.append(block + offset)
            offset += size
        }
        (normed, raw, dRaw, dNormed) = (pointers[0], pointers[1], pointers[2], pointers[3])
        (queryRaw, query, context, dContext, dQuery) = (pointers[4], pointers[5], pointers[6], pointers[7], pointers[8])
        (keyRaw, key, dKey, dValue) = (pointers[9], pointers[10], pointers[11], pointers[12])
        (queryScale, keyScale) = (pointers[13], pointers[14])
        (dScores, dKeyPerHead, dValuePerHead) = (pointers[15], pointers[16], pointers[17])
        (up, dHidden, dGate, dUp) = (pointers[18], pointers[19], pointers[20], pointers[21])
        (logits, dLogits, headRow, dHeadRow) = (pointers[22], pointers[23], pointers[24], pointers[25])
    }

    /// The buffers' sizes in floats, in the order of the fields.
    static func sizes(shape s: TraceShape) -> [Int] {
        let n = s.rows, t = s.tokens, d = s.dModel, q = s.heads * s.headDim, kv = s.kvHeads * s.headDim
        return [
            n * d, n * d, n * d, n * d,
            n * q, n * q, n * q, n * q, n * q,
            n * kv, n * kv, n * kv, n * kv,
            n * s.heads, n * s.kvHeads,
            s.batch * s.heads * t * t, n * s.heads * s.headDim, n * s.heads * s.headDim,
            n * s.ffnDim, n * s.ffnDim, n * s.ffnDim, n * s.ffnDim,
            s.vocabSize, s.vocabSize, d, d
        ]
    }

    func deallocate() { block.deallocate() }
}
