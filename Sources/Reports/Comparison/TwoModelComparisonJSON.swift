import Analysis
import Foundation
import JSON

/// A model comparison as JSON (`POST /api/compare` with `models`, `glassbox compare`): both sides, the shared-vocabulary
/// comparison of their next-token distributions, and per-layer metric means on the relative-depth axis.
public enum TwoModelComparisonJSON {
    /// `top` shared strings are listed with both models' probabilities.
    public static func data(_ c: TwoModelComparison, top: Int = 20) -> Data {
        var w = JSONWriter(capacity: 32_768)
        let d = c.distribution
        w.object { o in
            o.field("kind", "models")
            o.field("text", c.text)
            o.field("metrics") { $0.array(HeadMetrics.metricNames) }
            o.field("models") { w in
                ReportJSON.list(c.sides, &w) { s, w in side(s, &w) }
            }
            o.field("distribution") { w in
                w.object { o in
                    o.field("vocabulary_strings") { $0.array(c.vocabularySizes) }
                    o.field("shared_strings", d.shared.count)
                    o.field("shared_mass") { numbers([d.sharedMassA, d.sharedMassB], &$0) }
                    o.field("mass_outside_shared") { numbers([d.outsideA, d.outsideB], &$0) }
                    o.field("kl_ab", d.klAB)
                    o.field("kl_ba", d.klBA)
                    o.field("js", d.jensenShannon)
                    o.field("total_variation", d.totalVariation)
                    o.field("top") { w in
                        ReportJSON.list(d.top(top), &w) { i, w in
                            w.object { o in
                                o.field("string", d.shared[i])
                                o.field("probability") { numbers([d.probabilitiesA[i], d.probabilitiesB[i]], &$0) }
                            }
                        }
                    }
                }
            }
        }
        return w.data
    }

    static func numbers(_ values: [Double], _ w: inout JSONWriter) {
        ReportJSON.list(values, &w) { v, w in w.number(v) }
    }

    static func side(_ s: TwoModelComparison.Side, _ w: inout JSONWriter) {
        w.object { o in
            o.field("model", s.name)
            o.field("architecture", s.info.architecture)
            o.field("layers", s.info.layers)
            o.field("heads", s.info.heads)
            o.field("d_model", s.info.dModel)
            o.field("vocab_size", s.info.vocabSize)
            o.field("token_ids") { $0.array(s.tokens) }
            o.field("tokens") { $0.array(s.displays) }
            o.field("top") { w in
                ReportJSON.list(s.predictions, &w) { p, w in
                    w.object { o in
                        o.field("id", p.id)
                        o.field("display", s.display(p.id))
                        o.field("probability", p.probability)
                    }
                }
            }
            o.field("layer_metrics") { w in
                ReportJSON.list(Array(0..<s.info.layers), &w) { l, w in
                    w.object { o in
                        o.field("layer", l)
                        o.field("depth", s.depth(ofLayer: l))
                        for name in HeadMetrics.metricNames { o.field(name, s.layerMean(name, layer: l)) }
                    }
                }
            }
            o.field("lens") { w in
                w.object { o in
                    o.field("position", s.lens.position)
                    o.field("top_by_layer") { w in
                        ReportJSON.list(s.lens.topByLayer, &w) { id, w in
                            w.object { o in
                                o.field("id", id)
                                o.field("display", s.display(id))
                            }
                        }
                    }
                    o.field("first_layer", s.lens.firstLayer)
                    o.field("settled_layer", s.lens.settledLayer)
                    o.field("settled_depth", s.depth(ofLayer: s.lens.settledLayer))
                    o.field("stays", s.lens.stays)
                }
            }
            o.field("classes") { w in
                w.object { o in
                    for (c, count) in s.classCounts { o.field(c.rawValue, count) }
                }
            }
            o.field("anomalies") { w in
                let a = s.anomalies
                w.object { o in
                    o.field("high_attention_keys", a.highAttention.count)
                    o.field("high_attention_hits", a.highAttention.reduce(0) { $0 + $1.hits.count })
                    o.field("uniform_heads", a.uniformAttention.count)
                    o.field("dead_heads", a.deadHeads.count)
                    o.field("outlier_activations", a.outlierActivations.count)
                    o.field("outlier_dimensions", a.outlierDimensions.count)
                }
            }
            o.field("milliseconds") { w in
                w.object { o in
                    o.field("forward", s.forwardMilliseconds)
                    o.field("analysis", s.analysisMilliseconds)
                }
            }
        }
    }
}
