import JSON
import Analysis
import Foundation

/// The layer-flow endpoint (`Analysis/Flow`).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/flow`: per layer and position, cosine, information loss, relative update and the
    /// attention and FFN shares of the update.
    static func flow(_ run: RunState, _ q: QueryParameters) throws -> AnalysisEndpoints.Prepared {
        try q.allow([])
        return AnalysisEndpoints.Prepared {
            let flow = LayerFlow.compute(trace: run.trace)
            var w = JSONWriter(capacity: 256 + flow.count * run.trace.shape.tokens * 64)
            w.object { o in
                o.field("tokens") { AnalysisEndpoints.tokens(run, into: &$0) }
                o.field("layers") { w in
                    w.array(flow) { w, layer in
                        w.object { l in
                            l.field("layer", layer.layer)
                            l.field("cos") { $0.array(layer.cosine.map { Float($0) }) }
                            l.field("information_loss") { $0.array(layer.informationLoss.map { Float($0) }) }
                            l.field("relative_update") { $0.array(layer.relativeUpdate.map { Float($0) }) }
                            l.field("attention_share") { $0.array(layer.attentionShare.map { Float($0) }) }
                            l.field("ffn_share") { $0.array(layer.ffnShare.map { Float($0) }) }
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }
}
