/// Per-worker float32 buffers that packed weights are decoded into, one tile of rows at a time, reused by every
/// projection of a pass (so a packed model holds one tile per worker, not a decoded copy of its weights).
///
/// Worker `w` of a pool touches only buffer `w`; a pass owns its tiles and runs one projection at a time, which is
/// what makes sharing the object between the pool's threads safe.
public final class WeightTiles: @unchecked Sendable {
    /// Weight elements per tile: 2 Mi floats (8 MB).
    public static let tileElements = 1 << 21

    private let slots: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>
    private let capacities: UnsafeMutablePointer<Int>
    public let workers: Int

    public init(workers: Int) {
        self.workers = max(1, workers)
        slots = .allocate(capacity: self.workers)
        slots.initialize(repeating: nil, count: self.workers)
        capacities = .allocate(capacity: self.workers)
        capacities.initialize(repeating: 0, count: self.workers)
    }

    deinit {
        for w in 0..<workers { slots[w]?.deallocate() }
        slots.deallocate()
        capacities.deallocate()
    }

    /// Worker `worker`'s buffer, with room for at least `capacity` floats.
    func buffer(_ worker: Int, capacity: Int) -> UnsafeMutablePointer<Float> {
        precondition(worker >= 0 && worker < workers, "worker \(worker) has no tile")
        if let slot = slots[worker], capacities[worker] >= capacity { return slot }
        slots[worker]?.deallocate()
        let slot = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        slots[worker] = slot
        capacities[worker] = capacity
        return slot
    }

    /// Rows of an `[out, in]` weight multiplied per BLAS call, the same for dense and packed weights: a multiple
    /// of 16 whose tile fits `tileElements` (at least 16 rows).
    static func tileRows(inFeatures: Int) -> Int {
        max(16, tileElements / max(1, inFeatures) / 16 * 16)
    }
}
