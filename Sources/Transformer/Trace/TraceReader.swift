/// Read access to a Trace's storage: pointers to each field's blocks, while the storage buffer is pinned.
struct TraceReader {
    let base: UnsafePointer<Float>
    let layout: TraceLayout

    /// Start of block `index` of `field`.
    func block(_ field: TraceField, _ index: Int) -> UnsafePointer<Float> {
        base + layout[field].range(index).lowerBound
    }
}
