/// The keys and values one attention layer has computed so far, for incremental decoding.
///
/// Rows are kept in position order: row `i` of the live range holds position `firstPosition + i`, `width`
/// (`kvHeads · headDim`) floats each, keys after RoPE and the key norm, values as projected. A sliding-window layer
/// keeps only what a later query can still see: after a step ending at position `p`, the positions from
/// `p + 1 − (window − 1)` on (the next query at `p + 1` reads keys `p + 1 − window < j ≤ p + 1`); older rows are
/// dropped by moving the start of the live range, and the storage is compacted only when a step would not fit, so a
/// token costs no copy in the common case. A full-attention layer keeps every position.
public struct LayerKVCache: Sendable {
    /// Floats per row: `kvHeads · headDim`.
    public let width: Int
    /// The layer's sliding window (keys at distance `≥ window` are masked), or nil for full attention.
    public let window: Int?
    /// Position of the first live row.
    public private(set) var firstPosition = 0
    /// Live rows.
    public private(set) var count = 0
    /// Offset, in rows, of the first live row in the storage.
    private var head = 0
    private var keyRows: [Float] = []
    private var valueRows: [Float] = []

    public init(width: Int, window: Int?) {
        precondition(width > 0, "a cache row needs at least one float")
        precondition(window.map { $0 > 0 } ?? true, "a sliding window holds at least one key")
        self.width = width
        self.window = window
    }

    /// The position the next appended row will have.
    public var nextPosition: Int { firstPosition + count }

    /// Rows the storage has room for.
    var capacity: Int { keyRows.count / width }

    /// Rows the value storage has room for (always `capacity`).
    var valueCapacity: Int { valueRows.count / width }

    /// Makes room for `rows` more rows after the live ones, compacting (moving the live rows to the front) or
    /// growing the storage if needed. Returns the storage row the first new row goes to.
    mutating func reserve(_ rows: Int) -> Int {
        if head + count + rows > capacity {
            if head > 0 {
                keyRows.withUnsafeMutableBufferPointer { k in
                    valueRows.withUnsafeMutableBufferPointer { v in
                        // `update(from:count:)` handles overlapping regions (here a move towards the front).
                        let base = k.baseAddress!, vBase = v.baseAddress!
                        (base).update(from: base + head * width, count: count * width)
                        (vBase).update(from: vBase + head * width, count: count * width)
                    }
                }
                head = 0
            }
            if count + rows > capacity {
                // Sliding layers settle at about two windows; full layers grow geometrically.
                let wanted = max(count + rows, window.map { 2 * $0 } ?? 0, 2 * capacity)
                let added = [Float](repeating: 0, count: (wanted - capacity) * width)
                keyRows += added
                valueRows += added
            }
        }
        return head + count
    }

    /// Counts `rows` rows written after the live ones (at the storage row `reserve` returned) as live.
    mutating func commit(_ rows: Int) {
        precondition(head + count + rows <= capacity, "committed rows outside the reserved storage")
        count += rows
    }

    /// Drops the rows no query at `nextPosition` or later can see (sliding-window layers only).
    mutating func trim() {
        guard let window else { return }
        let keep = min(count, window - 1)
        let drop = count - keep
        head += drop
        firstPosition += drop
        count = keep
    }

    /// Calls `body` with the storage of keys and values (`capacity × width` each) and the storage row of the first
    /// live row.
    mutating func withStorage<R>(
        _ body: (_ keys: UnsafeMutablePointer<Float>, _ values: UnsafeMutablePointer<Float>, _ head: Int) throws -> R
    ) rethrows -> R {
        let head = self.head
        return try keyRows.withUnsafeMutableBufferPointer { k in
            try valueRows.withUnsafeMutableBufferPointer { v in try body(k.baseAddress!, v.baseAddress!, head) }
        }
    }

    /// The live keys, `[count, width]` (position `firstPosition + i` in row `i`).
    public var keys: ArraySlice<Float> { keyRows[(head * width)..<((head + count) * width)] }

    /// The live values, `[count, width]`.
    public var values: ArraySlice<Float> { valueRows[(head * width)..<((head + count) * width)] }
}

/// The per-layer key/value caches of one sequence being decoded, and how many positions it holds.
///
/// A value: copying it (to branch a continuation) copies the rows on the first write. Built for one model by
/// `DecoderModel.makeCache()`; `DecoderModel.decode(tokens:cache:)` appends to it.
public struct KVCache: Sendable {
    public internal(set) var layers: [LayerKVCache]
    /// Positions decoded so far (the position of the next token).
    public internal(set) var position = 0

    public init(layers: [LayerKVCache]) {
        self.layers = layers
    }
}

extension DecoderModel {
    /// An empty cache for this model: one layer cache per decoder layer, sliding layers with their window.
    public func makeCache() -> KVCache {
        KVCache(
            layers: layers.map {
                LayerKVCache(width: $0.attention.kvHeads * $0.attention.headDim, window: $0.attention.window)
            })
    }
}
