import Analysis
import Foundation
import JSON
import Transformer

/// The endpoint of the "problem tokens" (`Analysis/Anomalies`, `docs/analyses.md` §3).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/anomalies?high_attention&include_first_token&uniform_threshold&uniform_min_row&
    /// dead_fraction&outlier_factor`: every finding with where it is, its value and the threshold that fired it,
    /// and the logit-lens settling layer of every position.
    static func anomalies(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> AnalysisEndpoints.Prepared {
        try q.allow([
            "high_attention", "include_first_token", "uniform_threshold", "uniform_min_row", "dead_fraction",
            "outlier_factor"
        ])
        var p = AnomalyParameters()
        p.highAttention = try q.double("high_attention", in: 0...1, default: p.highAttention)
        p.includeFirstToken = try q.bool("include_first_token", default: p.includeFirstToken)
        p.uniformThreshold = try q.double("uniform_threshold", in: 0...1, default: p.uniformThreshold)
        p.uniformMinRow = try q.int("uniform_min_row", in: 1...65_536, default: p.uniformMinRow)
        p.deadFraction = try q.double("dead_fraction", in: 0...1, default: p.deadFraction)
        p.outlierFactor = try q.double("outlier_factor", in: 1...1e9, default: p.outlierFactor)
        return AnalysisEndpoints.Prepared { [p] in
            let model = run.model.model, trace = run.trace
            let found = AttentionAnomalies(
                trace: trace, headOutputNorms: try HeadOutputNorms(model: model, trace: trace),
                parameters: p)
            // The lens grid of post[l], normalized, is the lens-grid view's default: one computation serves both.
            let flips = LensFlip.flips(try run.lensGrid(point: .post, normalize: true, workers: workers))
            let display = { AnalysisEndpoints.display(run, $0) }
            var w = JSONWriter(capacity: 4096)
            w.object { o in
                o.field("parameters") { w in
                    w.object { o in
                        o.field("high_attention", p.highAttention)
                        o.field("include_first_token", p.includeFirstToken)
                        o.field("uniform_threshold", p.uniformThreshold)
                        o.field("uniform_min_row", p.uniformMinRow)
                        o.field("dead_fraction", p.deadFraction)
                        o.field("outlier_factor", p.outlierFactor)
                    }
                }
                o.field("tokens") { AnalysisEndpoints.tokens(run, into: &$0) }
                o.field("anomalies") { w in
                    AnomalyJSON.write(found, flips: flips, tokens: trace.tokens, display: display, into: &w)
                }
                o.field("lens_flips") { w in
                    w.array(flips) { w, f in
                        w.object { o in
                            o.field("position", f.position)
                            o.token("final", f.final, display(f.final))
                            o.field("first_layer", f.firstLayer)
                            o.field("settled_layer", f.settledLayer)
                            o.field("stays", f.stays)
                            o.field("top_by_layer") { $0.array(f.topByLayer) }
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }
}
