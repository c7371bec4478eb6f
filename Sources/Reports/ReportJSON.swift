import Analysis
import Foundation
import JSON

/// A report as JSON: model, options, per-prompt results, aggregated heads and layers, clusters and recommendations.
public enum ReportJSON {
    public static func data(_ report: Report) -> Data {
        var w = JSONWriter(capacity: 16_384)
        write(report, into: &w)
        return w.data
    }

    public static func write(_ report: Report, into w: inout JSONWriter) {
        let info = report.info
        w.object { o in
            o.field("model", report.model)
            o.field("architecture", info.architecture)
            o.field("layers", info.layers)
            o.field("heads_per_layer", info.heads)
            o.field("created", ISO8601DateFormatter().string(from: report.created))
            o.field("note", "Recommendations are suggestions about the measured prompts only.")
            o.field("options") { w in
                w.object { o in
                    o.field("ablation", report.options.ablation)
                    o.field("clusters", report.options.clusters)
                    o.field("sparsity_epsilon", report.options.metricParameters.sparsityEpsilon)
                    o.field("high_attention", report.options.anomalyParameters.highAttention)
                    o.field("redundant_layer_cosine", report.options.redundantLayerCosine)
                    o.field("redundant_layer_update", report.options.redundantLayerUpdate)
                    o.field("redundant_head_nats", report.options.redundantHeadNats)
                }
            }
            o.field("seconds", report.prompts.reduce(0) { $0 + $1.seconds })
            o.field("prompts") { w in
                list(report.prompts, &w) { p, w in
                    w.object { o in
                        o.field("prompt", p.prompt)
                        o.field("tokens") { $0.array(p.displays) }
                        o.field("seconds", p.seconds)
                        o.field("predictions") { w in
                            list(p.predictions, &w) { t, w in
                                w.object { o in
                                    o.field("id", t.id)
                                    o.field("display", report.display(t.id, in: p))
                                    o.field("probability", t.probability)
                                }
                            }
                        }
                        o.field("anomaly_counts") { w in
                            w.object { o in
                                o.field("high_attention", p.anomalies.highAttention.count)
                                o.field("uniform_attention", p.anomalies.uniformAttention.count)
                                o.field("dead_head", p.anomalies.deadHeads.count)
                                o.field("outlier_activation", p.anomalies.outlierDimensions.count)
                                o.field("logit_lens_flip", p.lensFlips.filter { !$0.stays }.count)
                            }
                        }
                        o.field("settled_layer", p.lensFlips.last!.settledLayer)
                    }
                }
            }
            o.field("heads") { w in
                list(report.heads, &w) { h, w in
                    w.object { o in
                        o.field("layer", h.layer)
                        o.field("head", h.head)
                        o.field("class", h.patternClass.rawValue)
                        o.field("class_prompts", h.classCount)
                        for name in HeadMetrics.metricNames { o.field(name, h.means[name]!) }
                        o.field("ablation_nats") { w in h.ablationNats.map { w.number($0) } ?? w.raw("null") }
                        o.field("cluster") { w in h.cluster.map { w.number($0) } ?? w.raw("null") }
                    }
                }
            }
            o.field("layers_flow") { w in
                list(report.layers, &w) { l, w in
                    w.object { o in
                        o.field("layer", l.layer)
                        o.field("cos", l.meanCosine)
                        o.field("information_loss", 1 - l.meanCosine)
                        o.field("relative_update", l.meanRelativeUpdate)
                        o.field("attention_share", l.meanAttentionShare)
                        o.field("skip_nats") { w in l.skipNats.map { w.number($0) } ?? w.raw("null") }
                        o.field("redundant", l.redundant)
                    }
                }
            }
            o.field("redundant_heads") { w in
                list(report.redundantHeads, &w) { h, w in w.array([h.layer, h.head]) }
            }
            o.field("clusters") { w in
                guard let c = report.clusters else { return w.raw("null") }
                w.object { o in
                    o.field("features") { $0.array(HeadClustering.featureNames) }
                    o.field("groups") { w in
                        list(Array(c.centroids.enumerated()), &w) { item, w in
                            w.object { o in
                                o.field("id", item.offset)
                                o.field("members") { w in
                                    list(c.members(of: item.offset), &w) { m, w in w.array([m.layer, m.head]) }
                                }
                                o.field("centroid") { $0.array(item.element.map { Float($0) }) }
                            }
                        }
                    }
                }
            }
            o.field("recommendations") { w in
                list(report.recommendations, &w) { r, w in
                    w.object { o in
                        o.field("rule", r.rule)
                        o.field("message", r.message)
                        o.field("evidence") { w in
                            list(r.evidence, &w) { e, w in
                                w.object { o in
                                    o.field("measure", e.measure)
                                    o.field("layer") { w in e.layer.map { w.number($0) } ?? w.raw("null") }
                                    o.field("head") { w in e.head.map { w.number($0) } ?? w.raw("null") }
                                    o.field("value", e.value)
                                    o.field("threshold", e.threshold)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `[a,b,...]` with `item` writing each element.
    static func list<T>(_ items: [T], _ w: inout JSONWriter, _ item: (T, inout JSONWriter) -> Void) {
        w.array(items) { w, x in
            item(x, &w)
        }
    }
}

extension Report {
    /// The display form of a predicted token (kept with the prompt's analysis).
    func display(_ id: Int, in prompt: PromptAnalysis) -> String { prompt.predictionDisplays[id] ?? "#\(id)" }
}
