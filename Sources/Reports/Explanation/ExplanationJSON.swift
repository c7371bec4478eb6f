import Analysis
import Foundation
import JSON
import Transformer

/// An explanation report as JSON: per method under `methods.<name>` its scores, order, curves, areas,
/// comprehensiveness and sufficiency (keys `"10"`, `"20"`, `"50"`) and its standing against the random orders;
/// `random` (seeds, orders, curves, areas), `agreement`, `stability`, the `verdict`, and `model_disagreement` with
/// a second model.
public enum ExplanationJSON {
    public static func data(_ report: ExplanationReport) -> Data {
        var w = JSONWriter(capacity: 32_768)
        write(report, into: &w)
        return w.data
    }

    public static func write(_ report: ExplanationReport, into w: inout JSONWriter) {
        let e = report.evaluation, p = e.parameters
        w.object { o in
            o.field("model", report.modelName)
            o.field("architecture", report.info.architecture)
            o.field("prompt", report.prompt)
            o.field("tokens") { w in
                w.objects(zip(report.ids, report.displays)) { o, token in
                    o.field("id", token.0)
                    o.field("text", token.1)
                }
            }
            o.field("target") { w in
                w.object { o in
                    o.field("position", e.target.position)
                    o.field("id", e.target.token)
                    o.field("text", report.targetText)
                    o.field("display", report.targetDisplay)
                    o.field("objective", e.target.contrast == nil ? e.target.objective.rawValue : "contrast")
                    if let contrast = e.target.contrast {
                        o.field("contrast", contrast)
                        o.field("contrast_text", report.contrastText ?? "")
                    }
                    o.field("f", e.value)
                    o.field("f_baseline", e.baselineValue)
                }
            }
            o.field("predictions") { predictions(report.predictions, report.predictionTexts, &$0) }
            o.field("parameters") { w in
                w.object { o in
                    o.field("methods") { $0.array(p.methods.map(\.rawValue)) }
                    o.field("steps", p.steps)
                    o.field("baseline", p.baseline.description)
                    o.field("norm", p.norm.rawValue)
                    o.field("fractions") { $0.array(p.fractions) }
                    o.field("top_k", e.agreement.k)
                }
            }
            o.field("methods") { w in
                w.object { o in
                    for m in e.methods { o.field(m.method.rawValue) { method(m, e, &$0) } }
                }
            }
            o.field("random") { random(e, &$0) }
            o.field("agreement") { agreement(e.agreement, &$0) }
            o.field("stability") { stability(e.stability, report, &$0) }
            let verdict = report.verdict
            o.field("verdict", verdict.text)
            o.field("verdict_sentences") { $0.array(verdict.sentences) }
            if let c = report.comparison { o.field("model_disagreement") { comparison(c, &$0) } }
            o.field("passes", e.passes)
            o.field("seconds", report.seconds)
        }
    }

    static func optional(_ value: Double?, _ w: inout JSONWriter) {
        if let value { w.number(value) } else { w.raw("null") }
    }

    static func doubles(_ values: [Double], _ w: inout JSONWriter) { w.array(values) { $0.number($1) } }

    static func seeds(_ values: [UInt64], _ w: inout JSONWriter) { w.array(values) { $0.raw(String($1)) } }

    static func byFraction(_ values: [Int: Double], _ w: inout JSONWriter) {
        w.object { o in
            for key in values.keys.sorted() { o.field(String(key), values[key]!) }
        }
    }

    static func method(_ m: MethodEvaluation, _ e: ExplanationEvaluation, _ w: inout JSONWriter) {
        let f = m.faithfulness
        w.object { o in
            o.field("scores") { doubles(m.scores, &$0) }
            o.field("order") { $0.array(f.order) }
            o.field("deletion_curve") { doubles(f.deletion.values, &$0) }
            o.field("insertion_curve") { doubles(f.insertion.values, &$0) }
            o.field("deletion_auc", f.deletion.auc)
            o.field("insertion_auc", f.insertion.auc)
            o.field("comprehensiveness") { byFraction(f.comprehensiveness, &$0) }
            o.field("sufficiency") { byFraction(f.sufficiency, &$0) }
            if let gap = m.completenessGap { o.field("completeness_gap", gap) }
            o.field("random") { w in
                w.object { o in
                    o.field("seeds") { seeds(e.random.map(\.seed), &$0) }
                    o.field("orders") { w in w.array(e.random) { $0.array($1.evaluation.order) } }
                    o.field("deletion_aucs") { doubles(e.random.map(\.evaluation.deletion.auc), &$0) }
                    o.field("insertion_aucs") { doubles(e.random.map(\.evaluation.insertion.auc), &$0) }
                    o.field("deletion_auc_mean", e.randomDeletionMean)
                    o.field("insertion_auc_mean", e.randomInsertionMean)
                    o.field("deletion_beats", m.deletionBeats(e.random))
                    o.field("insertion_beats", m.insertionBeats(e.random))
                }
            }
        }
    }

    static func random(_ e: ExplanationEvaluation, _ w: inout JSONWriter) {
        w.object { o in
            o.field("generator", "SplitMix64(seed), Fisher-Yates from the identity: j = next() mod (i + 1)")
            o.field("seeds") { seeds(e.random.map(\.seed), &$0) }
            o.field("orders") { w in w.array(e.random) { $0.array($1.evaluation.order) } }
            o.field("deletion_curves") { w in w.array(e.random) { doubles($1.evaluation.deletion.values, &$0) } }
            o.field("insertion_curves") { w in w.array(e.random) { doubles($1.evaluation.insertion.values, &$0) } }
            o.field("deletion_aucs") { doubles(e.random.map(\.evaluation.deletion.auc), &$0) }
            o.field("insertion_aucs") { doubles(e.random.map(\.evaluation.insertion.auc), &$0) }
            o.field("deletion_auc_mean", e.randomDeletionMean)
            o.field("insertion_auc_mean", e.randomInsertionMean)
        }
    }

    static func agreement(_ a: Agreement, _ w: inout JSONWriter) {
        w.object { o in
            o.field("methods") { $0.array(a.methods.map(\.rawValue)) }
            o.field("k", a.k)
            o.field("spearman") { w in w.array(a.spearman) { w, row in w.array(row) { optional($1, &$0) } } }
            o.field("overlap") { w in w.array(a.overlap) { doubles($1, &$0) } }
            o.field("consensus") { w in
                w.object { o in
                    o.field("scores") { doubles(a.consensus.scores, &$0) }
                    o.field("order") { $0.array(a.consensus.order) }
                    o.field("spearman") { w in
                        w.object { o in
                            for (m, rho) in zip(a.methods, a.consensus.spearman) {
                                o.field(m.rawValue) { optional(rho, &$0) }
                            }
                        }
                    }
                    o.field("most_disagreeing") { $0.array(a.consensus.mostDisagreeing.map(\.rawValue)) }
                }
            }
        }
    }

    static func stability(_ s: Stability, _ report: ExplanationReport, _ w: inout JSONWriter) {
        w.object { o in
            o.field("sigma", s.sigma)
            o.field("mean_embedding_norm", s.meanEmbeddingNorm)
            o.field("noise_std", s.sigma * s.meanEmbeddingNorm)
            o.field("noise_seeds") { seeds(s.noiseSeeds, &$0) }
            if let variant = report.variant { o.field("variant", variant) }
            o.field("methods") { w in
                w.object { o in
                    for m in s.methods {
                        o.field(m.method.rawValue) { w in
                            w.object { o in
                                o.field("noise") { w in w.array(m.noise) { optional($1, &$0) } }
                                o.field("noise_mean") { optional(m.meanNoise, &$0) }
                                if s.variantTokens != nil { o.field("variant") { optional(m.variant, &$0) } }
                            }
                        }
                    }
                }
            }
        }
    }

    static func predictions(_ top: [NextTokenPrediction], _ texts: [String], _ w: inout JSONWriter) {
        w.objects(zip(top, texts)) { o, p in
            o.field("id", p.0.id)
            o.field("text", p.1)
            o.field("logit", p.0.logit)
            o.field("probability", p.0.probability)
        }
    }

    static func comparison(_ c: ModelComparison, _ w: inout JSONWriter) {
        w.object { o in
            for (key, side) in [("first", c.sides.0), ("second", c.sides.1)] {
                o.field(key) { w in
                    w.object { o in
                        o.field("model", side.modelName)
                        o.field("tokens") { $0.array(side.displays) }
                        o.field("target_text", side.targetText)
                        o.field("predictions") { predictions(side.predictions, side.predictionTexts, &$0) }
                    }
                }
            }
            o.field("methods") { w in
                w.object { o in
                    for (m, d) in zip(c.methods, c.disagreements) {
                        o.field(m.rawValue) { w in
                            w.object { o in
                                o.field("spearman") { optional(d.spearman, &$0) }
                                o.field("words") { w in
                                    w.objects(d.words) { o, word in
                                        o.field("text", word.text)
                                        o.field("start", word.range.lowerBound)
                                        o.field("end", word.range.upperBound)
                                        o.field("scores") { doubles([word.scores.0, word.scores.1], &$0) }
                                        o.field("ranks") { doubles([word.ranks.0, word.ranks.1], &$0) }
                                    }
                                }
                                o.field("diverging") { w in w.array(d.diverging.map { d.words[$0].text }) }
                            }
                        }
                    }
                }
            }
        }
    }
}
