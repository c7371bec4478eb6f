import Analysis
import Foundation
import JSON

/// A checkpoint series as JSON: the shape, options and prompts; per checkpoint its loss, sink share, settled layers,
/// anomaly counts, redundant heads, per-prompt results and every head's metric means, class and ablation cost; the
/// trends (one value per checkpoint, with their direction) and the heads whose class changed.
public enum CheckpointSeriesJSON {
    public static func data(_ report: CheckpointSeriesReport) -> Data {
        var w = JSONWriter(capacity: 32_768)
        write(report, into: &w)
        return w.data
    }

    public static func write(_ report: CheckpointSeriesReport, into w: inout JSONWriter) {
        let series = report.series, first = series.checkpoints[0].info, p = report.options.parameters
        w.object { o in
            o.field("architecture", first.architecture)
            o.field("layers", first.layers)
            o.field("heads_per_layer", first.heads)
            o.field("created", ISO8601DateFormatter().string(from: report.created))
            o.field("seconds", report.seconds)
            o.field("options") { w in
                w.object { o in
                    o.field("ablation", p.ablation)
                    o.field("redundant_head_nats", p.redundantHeadNats)
                    o.field("sparsity_epsilon", p.metricParameters.sparsityEpsilon)
                    o.field("high_attention", p.anomalyParameters.highAttention)
                }
            }
            o.field("prompts") { $0.array(report.prompts) }
            o.field("checkpoints") { w in
                w.array(zip(series.checkpoints, report.predictionDisplays)) { w, item in
                    checkpoint(item.0, displays: item.1, &w)
                }
            }
            o.field("trends") { w in
                w.object { o in
                    for t in series.trends {
                        o.field(t.name) { w in
                            w.object { o in
                                o.field("values") { w in w.array(t.values) { $0.number($1) } }
                                o.field("direction", t.direction.rawValue)
                                o.field("change", t.change)
                            }
                        }
                    }
                }
            }
            o.field("class_changes") { changes(series.classChanges, &$0) }
            o.field("first_to_last") { changes(series.firstToLast, &$0) }
        }
    }

    static func checkpoint(_ c: CheckpointMeasurement, displays: [String], _ w: inout JSONWriter) {
        w.object { o in
            o.field("name", c.name)
            o.field("model_type", c.info.modelType)
            o.field("parameters", c.info.parameters)
            o.field("loss", c.loss)
            o.field("positions", c.positions)
            o.field("sink_share", c.sinkShare)
            o.field("settled_layers") { $0.array(c.settledLayers) }
            o.field("mean_settled_layer", c.meanSettledLayer)
            o.field("anomaly_counts") { w in
                w.object { o in
                    for kind in AnomalyCounts.kinds { o.field(kind, c.anomalyCounts.count(of: kind)!) }
                }
            }
            o.field("redundant_heads") { w in
                guard let heads = c.redundantHeads else { return w.raw("null") }
                w.array(heads) { w, h in w.array([h.layer, h.head]) }
            }
            o.field("seconds", c.seconds)
            o.field("prompts") { w in
                w.objects(zip(c.prompts, displays)) { o, item in
                    let (prompt, display) = item
                    o.field("tokens", prompt.tokens)
                    o.field("loss", prompt.loss.mean)
                    o.field("prediction") { w in
                        w.object { o in
                            o.field("id", prompt.lastPosition.final)
                            o.field("display", display)
                        }
                    }
                    o.field("first_layer", prompt.lastPosition.firstLayer)
                    o.field("settled_layer", prompt.lastPosition.settledLayer)
                }
            }
            o.field("heads") { w in
                w.objects(c.heads) { o, h in
                    o.field("layer", h.layer)
                    o.field("head", h.head)
                    o.field("class", h.patternClass.rawValue)
                    o.field("class_prompts", h.classPrompts)
                    for name in HeadMetrics.metricNames { o.field(name, h.mean(name)) }
                    o.field("ablation_nats") { w in h.ablationNats.map { w.number($0) } ?? w.raw("null") }
                }
            }
        }
    }

    static func changes(_ list: [ClassChange], _ w: inout JSONWriter) {
        w.objects(list) { o, x in
            o.field("label", x.label)
            o.field("layer", x.head.layer)
            o.field("head", x.head.head)
            o.field("from", x.from.rawValue)
            o.field("to", x.to.rawValue)
            o.field("from_checkpoint", x.fromCheckpoint)
            o.field("to_checkpoint", x.toCheckpoint)
        }
    }
}
