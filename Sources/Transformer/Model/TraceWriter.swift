/// Write access to a Trace's storage during the forward pass: pointers to each field's blocks.
///
/// Lives only inside `DecoderModel.forward`, while the storage buffer is pinned.
struct TraceWriter {
    let base: UnsafeMutablePointer<Float>
    let layout: TraceLayout

    /// Start of block `index` of `field`.
    func block(_ field: TraceField, _ index: Int) -> UnsafeMutablePointer<Float> {
        base + layout[field].range(index).lowerBound
    }
}
