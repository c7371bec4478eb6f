import Analysis
import Foundation
import JSON

/// A comparison as JSON: each prompt's side, the targets and their log-probability differences, the aligned groups,
/// and per head the metric values per prompt with their difference (pair: second − first) or variance (sets).
public enum ComparisonJSON {
    public static func data(_ c: PromptComparison, model: String, metrics: [String], display: (Int) -> String) -> Data {
        var w = JSONWriter(capacity: 16_384)
        let pair = c.kind == .pair
        w.object { o in
            o.field("model", model)
            o.field("kind", c.kind.rawValue)
            o.field("alignment", c.alignment)
            o.field("metrics") { $0.array(metrics) }
            o.field("targets") { w in
                ReportJSON.list(c.targets, &w) { t, w in
                    w.object { o in
                        o.field("text", t.text)
                        o.field("id", t.id)
                        o.field("display", display(t.id))
                        o.field("first_token_only", t.truncated)
                    }
                }
            }
            o.field("prompts") { w in
                ReportJSON.list(c.sides, &w) { s, w in
                    w.object { o in
                        o.field("label", s.label)
                        o.field("text", s.text)
                        o.field("tokens") { $0.array(s.displays) }
                        o.field("spans") { w in ReportJSON.list(s.spans, &w) { p, w in w.array(p) } }
                        o.field("top") { w in
                            ReportJSON.list(s.predictions, &w) { p, w in
                                w.object { o in
                                    o.field("id", p.id)
                                    o.field("display", display(p.id))
                                    o.field("probability", p.probability)
                                }
                            }
                        }
                        o.field("target_log_probabilities") { w in
                            ReportJSON.list(s.targetLogProbabilities, &w) { v, w in w.number(v) }
                        }
                        o.field("span_rollout_share") { w in s.spanRolloutShare.map { w.number($0) } ?? w.raw("null") }
                    }
                }
            }
            // log p(first target) − log p(target i), per prompt, for every other target.
            o.field("target_differences") { w in
                ReportJSON.list(Array(c.targets.indices.dropFirst()), &w) { t, w in
                    w.object { o in
                        o.field("a", c.targets[0].text)
                        o.field("b", c.targets[t].text)
                        o.field("log_ratio") { w in
                            ReportJSON.list(c.sides, &w) { s, w in
                                w.number(s.targetLogProbabilities[0] - s.targetLogProbabilities[t])
                            }
                        }
                    }
                }
            }
            if !pair {
                o.field("variance") { w in
                    w.object { o in
                        o.field("target_probability") { w in
                            ReportJSON.list(Array(c.targets.indices), &w) { t, w in
                                w.number(PromptComparison.variance(c.sides.map { exp($0.targetLogProbabilities[t]) }))
                            }
                        }
                        o.field("span_rollout_share") { w in
                            let shares = c.sides.compactMap(\.spanRolloutShare)
                            shares.isEmpty ? w.raw("null") : w.number(PromptComparison.variance(shares))
                        }
                    }
                }
            }
            o.field("groups") { w in
                ReportJSON.list(c.groups, &w) { g, w in
                    w.object { o in
                        o.field("label", g.label)
                        o.field("positions") { w in ReportJSON.list(g.positions, &w) { p, w in w.array(p) } }
                    }
                }
            }
            o.field("heads") { w in
                let L = c.sides[0].metrics.count, H = c.sides[0].metrics.first?.count ?? 0
                ReportJSON.list((0..<L).flatMap { l in (0..<H).map { (l, $0) } }, &w) { index, w in
                    let (l, h) = index
                    w.object { o in
                        o.field("layer", l)
                        o.field("head", h)
                        o.field("values") { w in
                            w.object { v in
                                for name in metrics {
                                    v.field(name) { w in
                                        ReportJSON.list(c.sides, &w) { s, w in
                                            w.number(s.metrics[l][h].value(of: name)!)
                                        }
                                    }
                                }
                            }
                        }
                        o.field(pair ? "difference" : "variance") { w in
                            w.object { v in
                                for name in metrics {
                                    let values = c.sides.map { $0.metrics[l][h].value(of: name)! }
                                    v.field(name, pair ? values[1] - values[0] : PromptComparison.variance(values))
                                }
                            }
                        }
                        o.field("aligned_attention") { w in
                            ReportJSON.list(c.sides, &w) { s, w in
                                ReportJSON.list(s.alignedAttention[l][h], &w) { v, w in w.number(v) }
                            }
                        }
                    }
                }
            }
        }
        return w.data
    }
}
