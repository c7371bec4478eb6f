import Analysis
import Foundation
import JSON
import Transformer

/// The endpoint of head and layer ablation (`Analysis/Ablation`, `docs/analyses.md` §4).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/ablation`: the change in log-probability of the predicted next token when each head's
    /// output is zeroed and when each layer is skipped, from one real forward pass each.
    static func ablation(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> AnalysisEndpoints.Prepared {
        try q.allow([])
        return AnalysisEndpoints.Prepared {
            let effects = try AblationEffects.measure(model: run.model.model, baseline: run.trace, workers: workers)
            let display = { AnalysisEndpoints.display(run, $0) }
            var w = JSONWriter(capacity: 4096)
            w.object { o in
                o.token("predicted", effects.predicted, display(effects.predicted))
                o.field("log_probability", effects.logProbability)
                AblationJSON.write(effects, display: display, into: &o)
            }
            return .json(w.data)
        }
    }
}
