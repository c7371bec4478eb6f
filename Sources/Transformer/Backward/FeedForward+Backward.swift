import Tensors

extension FeedForward {
    /// Gradient of the feed-forward block with respect to its normed input: `dNormed[n, d]` from `dOutput[n, d]`, the
    /// gradient of the down projection's result (before any post-FFN norm).
    ///
    /// Reuses the recorded pre-activations (`ffnPre`: `c_fc` output, or the gate projection of a gated FFN). A gated
    /// FFN recomputes its up projection from `normed`: `dGate = dH·up·act'(gate)`, `dUp = dH·act(gate)`.
    func backward(
        dNormed: UnsafeMutablePointer<Float>, dOutput: UnsafePointer<Float>, normed: UnsafePointer<Float>,
        preActivations: UnsafePointer<Float>, scratch: BackwardScratch, tokens n: Int, pool: WorkerPool
    ) {
        let count = n * hiddenDim
        down.backward(scratch.dHidden, dOutput, rows: n, pool: pool, tiles: scratch.tiles)
        let pre = SharedReadPointer(preActivations), dH = DisjointPointer(scratch.dHidden)
        let activation = self.activation
        if let gate {
            up.apply(scratch.up, normed, rows: n, pool: pool, tiles: scratch.tiles)
            let u = SharedReadPointer(scratch.up)
            let dG = DisjointPointer(scratch.dGate), dU = DisjointPointer(scratch.dUp)
            pool.forEachChunk(of: count, alignment: 64) { r in
                gatedActivationBackward(
                    dGate: dG.base + r.lowerBound, dUp: dU.base + r.lowerBound, dH.base + r.lowerBound,
                    gate: pre.base + r.lowerBound, up: u.base + r.lowerBound, activation: activation, count: r.count)
            }
            gate.backward(dNormed, scratch.dGate, rows: n, pool: pool, tiles: scratch.tiles)
            up.backward(dNormed, scratch.dUp, rows: n, accumulate: true, pool: pool, tiles: scratch.tiles)
        } else {
            pool.forEachChunk(of: count, alignment: 64) { r in
                activationBackward(
                    dH.base + r.lowerBound, dH.base + r.lowerBound, input: pre.base + r.lowerBound,
                    activation: activation, count: r.count)
            }
            up.backward(dNormed, scratch.dHidden, rows: n, pool: pool, tiles: scratch.tiles)
        }
    }
}
