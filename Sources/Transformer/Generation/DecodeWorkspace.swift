import Tensors

/// Working memory of incremental decoding, kept from one step to the next so that a token allocates nothing: the
/// per-row buffers of a step (grown to the largest step seen), the attention scores, the tiles packed weights are
/// decoded into, and the RoPE tables (grown to the furthest position seen).
///
/// One sequence at a time: a workspace is used by one decode call at a time (the pool's workers write disjoint parts
/// of it during that call), so it is deliberately not `Sendable`.
public final class DecodeWorkspace {
    /// The tiles packed weights are decoded into, one per worker.
    let tiles: WeightTiles
    private(set) var rowCapacity = 0
    /// `[m, d]` residual stream of the step's rows.
    private(set) var residual: UnsafeMutablePointer<Float>
    /// `[m, d]` normalised residual.
    private(set) var normed: UnsafeMutablePointer<Float>
    /// `[m, d]` a block's output (attention, then FFN).
    private(set) var blockOutput: UnsafeMutablePointer<Float>
    /// `[m, H·headDim]` queries, then the concatenated head outputs.
    private(set) var query: UnsafeMutablePointer<Float>
    private(set) var context: UnsafeMutablePointer<Float>
    /// `[m, ffn]` the FFN's first projection (gate or up) and, gated, the up projection.
    private(set) var ffnFirst: UnsafeMutablePointer<Float>
    private(set) var ffnSecond: UnsafeMutablePointer<Float>
    private var scoreCapacity = 0
    /// `[H, m, keys]` attention scores, then probabilities.
    private(set) var scores: UnsafeMutablePointer<Float>
    /// The RoPE tables built so far, one per distinct rotary embedding (a model has one or two).
    private var ropeTables: [(rope: RotaryEmbedding, table: RoPETable)] = []

    /// A workspace for a pool of `workers` workers.
    public init(workers: Int) {
        tiles = WeightTiles(workers: workers)
        residual = .allocate(capacity: 1)
        normed = .allocate(capacity: 1)
        blockOutput = .allocate(capacity: 1)
        query = .allocate(capacity: 1)
        context = .allocate(capacity: 1)
        ffnFirst = .allocate(capacity: 1)
        ffnSecond = .allocate(capacity: 1)
        scores = .allocate(capacity: 1)
    }

    deinit {
        residual.deallocate()
        normed.deallocate()
        blockOutput.deallocate()
        query.deallocate()
        context.deallocate()
        ffnFirst.deallocate()
        ffnSecond.deallocate()
        scores.deallocate()
    }

    /// Makes the row buffers hold `rows` rows of `model`.
    func reserveRows(_ rows: Int, model: DecoderModel) {
        guard rows > rowCapacity else { return }
        let info = model.info
        let queryWidth = model.layers.map { $0.attention.heads * $0.attention.headDim }.max() ?? 0
        let ffn = model.layers.map(\.ffn.hiddenDim).max() ?? 0
        func replace(_ buffer: inout UnsafeMutablePointer<Float>, _ count: Int) {
            buffer.deallocate()
            buffer = .allocate(capacity: max(1, count))
        }
        replace(&residual, rows * info.dModel)
        replace(&normed, rows * info.dModel)
        replace(&blockOutput, rows * info.dModel)
        replace(&query, rows * queryWidth)
        replace(&context, rows * queryWidth)
        replace(&ffnFirst, rows * ffn)
        replace(&ffnSecond, rows * ffn)
        rowCapacity = rows
    }

    /// Makes the score buffer hold `count` floats.
    func reserveScores(_ count: Int) {
        guard count > scoreCapacity else { return }
        scores.deallocate()
        scoreCapacity = max(count, 2 * scoreCapacity)
        scores = .allocate(capacity: scoreCapacity)
    }

    /// The RoPE table of `rope` covering positions `0..<positions` at least (grown by doubling, so a long
    /// generation rebuilds it a logarithmic number of times). Entries are `RoPETable`'s, whatever its length, so
    /// they are the forward pass's values at every position.
    func ropeTable(_ rope: RotaryEmbedding, positions: Int) -> RoPETable {
        let index = ropeTables.firstIndex { $0.rope == rope }
        if let index, ropeTables[index].table.positions >= positions { return ropeTables[index].table }
        let length = max(positions, 2 * (index.map { ropeTables[$0].table.positions } ?? 0), 64)
        let table = RoPETable(positions: length, inverseFrequencies: rope.inverseFrequencies)
        if let index { ropeTables[index].table = table } else { ropeTables.append((rope, table)) }
        return table
    }
}

@available(*, unavailable)
extension DecodeWorkspace: Sendable {}
