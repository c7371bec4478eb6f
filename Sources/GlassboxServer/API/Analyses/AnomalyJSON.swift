import Analysis
import JSON

/// The anomaly list as JSON: one entry per finding, each with `type`, `layer`, `head`, `positions`, `tokens`, the
/// `value` and the `threshold` that fired it (high attention grouped by key, outlier activations by dimension,
/// lens flips only for positions whose prediction does not stay once it appears).
enum AnomalyJSON {
    static func write(
        _ found: AttentionAnomalies, flips: [LensFlip], tokens: [Int], display: (Int) -> String,
        into w: inout JSONWriter
    ) {
        let p = found.parameters
        var first = true
        func entry(
            _ type: String, layer: Int?, head: Int?, positions: [Int], value: Double, threshold: Double?,
            _ extra: (inout JSONWriter.ObjectFields) -> Void = { _ in }
        ) {
            w.raw(first ? "[" : ",")
            first = false
            w.object { o in
                o.field("type", type)
                o.field("layer") { w in layer.map { w.number($0) } ?? w.raw("null") }
                o.field("head") { w in head.map { w.number($0) } ?? w.raw("null") }
                o.field("positions") { $0.array(positions) }
                o.field("tokens") { $0.array(positions.map { display(tokens[$0]) }) }
                o.field("value", value)
                o.field("threshold") { w in threshold.map { w.number($0) } ?? w.raw("null") }
                extra(&o)
            }
        }
        for group in found.highAttention {
            let top = group.strongest
            entry(
                "high_attention", layer: top.layer, head: top.head, positions: [top.query, group.key], value: top.value,
                threshold: p.highAttention
            ) { o in
                o.field("key", group.key)
                o.field("count", group.hits.count)
                o.field("hits") { w in
                    w.array(group.hits) { w, hit in
                        w.raw("[\(hit.layer),\(hit.head),\(hit.query),")
                        w.number(hit.value)
                        w.raw("]")
                    }
                }
            }
        }
        for f in found.uniformAttention {
            entry(
                "uniform_attention", layer: f.layer, head: f.head, positions: [], value: f.value,
                threshold: p.uniformThreshold)
        }
        for f in found.deadHeads {
            entry("dead_head", layer: f.layer, head: f.head, positions: [], value: f.value, threshold: p.deadFraction)
        }
        let byDimension = Dictionary(grouping: found.outlierActivations, by: \.dimension)
        for dimension in found.outlierDimensions {
            let hits = byDimension[dimension]!
            let top = hits.max { $0.ratio < $1.ratio }!
            entry(
                "outlier_activation", layer: top.layer, head: nil, positions: Array(Set(hits.map(\.position))).sorted(),
                value: top.ratio, threshold: p.outlierFactor
            ) { o in
                o.field("dimension", dimension)
                o.field("count", hits.count)
                o.field("hits") { w in
                    w.array(hits) { w, hit in
                        w.raw("[\(hit.layer),\(hit.position),")
                        w.number(hit.value)
                        w.raw(",")
                        w.number(hit.ratio)
                        w.raw("]")
                    }
                }
            }
        }
        for f in flips where !f.stays {
            entry(
                "logit_lens_flip", layer: f.firstLayer, head: nil, positions: [f.position],
                value: Double(f.settledLayer), threshold: nil
            ) { o in
                o.field("first_layer", f.firstLayer)
                o.field("settled_layer", f.settledLayer)
                o.token("final", f.final, display(f.final))
            }
        }
        w.raw(first ? "[]" : "]")
    }
}

/// Ablation effects as the `heads` and `layers` fields of an object.
enum AblationJSON {
    static func write(_ effects: AblationEffects, display: (Int) -> String, into o: inout JSONWriter.ObjectFields) {
        func list(_ name: String, _ items: [AblationEffects.Effect]) {
            o.field(name) { w in
                w.array(items) { w, e in
                    w.object { o in
                        o.field("layer", e.layer)
                        if let head = e.head { o.field("head", head) }
                        o.field("delta_log_probability", e.deltaLogProbability)
                        o.token("top", e.top, display(e.top))
                    }
                }
            }
        }
        list("heads", effects.heads)
        list("layers", effects.layers)
    }
}

extension JSONWriter.ObjectFields {
    /// `name: {"id": id, "display": display}`: a token as the analysis endpoints show one.
    mutating func token(_ name: String, _ id: Int, _ display: String) {
        field(name) { w in
            w.object {
                $0.field("id", id)
                $0.field("display", display)
            }
        }
    }
}
