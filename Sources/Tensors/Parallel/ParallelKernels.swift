/// Kernels split over a `WorkerPool`: each worker handles a disjoint block of the output.

/// `matmul` with the output features split across workers (column blocks of 16), each block one BLAS call.
public func matmul(
    pool: WorkerPool,
    _ output: UnsafeMutablePointer<Float>, outputStride: Int,
    _ input: UnsafePointer<Float>, inputStride: Int,
    weight: UnsafePointer<Float>, layout: WeightLayout,
    bias: UnsafePointer<Float>? = nil, accumulate: Bool = false,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    if pool.workers == 1 {
        matmul(
            output, outputStride: outputStride, input, inputStride: inputStride, weight: weight, layout: layout,
            bias: bias, accumulate: accumulate, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
        return
    }
    let out = DisjointPointer(output), x = SharedReadPointer(input), w = SharedReadPointer(weight)
    let b = bias.map(SharedReadPointer.init)
    pool.forEachChunk(of: outFeatures, alignment: 16) { columns in
        let weightOffset = layout == .outIn ? columns.lowerBound * inFeatures : columns.lowerBound
        matmul(
            out.base + columns.lowerBound, outputStride: outputStride, x.base, inputStride: inputStride,
            weight: w.base + weightOffset, layout: layout, weightStride: layout == .outIn ? inFeatures : outFeatures,
            bias: b.map { $0.base + columns.lowerBound }, accumulate: accumulate, rows: rows,
            inFeatures: inFeatures, outFeatures: columns.count)
    }
}

/// `out = a + b` elementwise, split across workers.
public func addForward(
    pool: WorkerPool, _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
    _ b: UnsafePointer<Float>, count: Int
) {
    let o = DisjointPointer(out), x = SharedReadPointer(a), y = SharedReadPointer(b)
    pool.forEachChunk(of: count, alignment: 64) { r in
        addForward(o.base + r.lowerBound, x.base + r.lowerBound, y.base + r.lowerBound, count: r.count)
    }
}

/// `out = activation(input)` elementwise, split across workers.
public func activationForward(
    pool: WorkerPool, _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>,
    activation: Activation, count: Int
) {
    let o = DisjointPointer(out), x = SharedReadPointer(input)
    pool.forEachChunk(of: count, alignment: 64) { r in
        activationForward(o.base + r.lowerBound, x.base + r.lowerBound, activation: activation, count: r.count)
    }
}

/// `out = activation(gate) · up` elementwise, split across workers.
public func gatedActivationForward(
    pool: WorkerPool, _ out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>,
    up: UnsafePointer<Float>, activation: Activation, count: Int
) {
    let o = DisjointPointer(out), g = SharedReadPointer(gate), u = SharedReadPointer(up)
    pool.forEachChunk(of: count, alignment: 64) { r in
        gatedActivationForward(
            o.base + r.lowerBound, gate: g.base + r.lowerBound, up: u.base + r.lowerBound,
            activation: activation, count: r.count)
    }
}
