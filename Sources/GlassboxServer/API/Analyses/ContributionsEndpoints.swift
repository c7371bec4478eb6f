import JSON
import Analysis
import Foundation
import Transformer

/// The endpoints of the per-edge and per-neuron contributions (`Analysis/Contributions`).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/contributions?layer&head&threshold&renormalize`: the (target × source) contribution map
    /// of one head or summed over heads, the residual and FFN weights and the unattributed bias per token; with
    /// `target` and `source`, the per-head weights of that one edge.
    static func contributions(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["layer", "head", "threshold", "renormalize", "target", "source"])
        let l = try layer(q, run)
        let head = try headParameter(q, run)
        let n = run.trace.shape.tokens
        let threshold = try q.string("threshold") == nil ? nil : q.double("threshold", in: 0...1, default: 0)
        let renormalize = try q.bool("renormalize", default: true)
        var pair: (target: Int, source: Int)? = nil
        if q.string("target") != nil || q.string("source") != nil {
            pair = (try q.token("target", count: n), try q.token("source", count: n))
        }
        return AnalysisEndpoints.Prepared { [pair] in
            let all = try run.contributions(workers: workers)
            var attention = all.attention[l], ffn = all.ffn[l]
            if let threshold {
                let cut = try GraphOptions(threshold: threshold, renormalize: renormalize).renormalizingThreshold
                attention = attention.thresholded(cut)
                ffn = ffn.thresholded(cut)
            }
            var w = JSONWriter(capacity: 512 + n * n * 12)
            if let pair {
                let t = pair.target, s = pair.source
                w.object { o in
                    o.field("layer", l)
                    o.field("target", t)
                    o.field("source", s)
                    o.field("is_part", attention.isPart(target: t, source: s))
                    o.field("heads") { $0.array(attention.headWeights(target: t, source: s)) }
                    o.field("total", Float(attention.tokenWeight(target: t, source: s)))
                }
                return .json(w.data)
            }
            let map = try AttentionMaps.contributions(attention, head: head)
            w.object { o in
                o.field("layer", l)
                o.field("head") { w in head.map { w.number($0) } ?? w.string("all") }
                o.field("thresholded", threshold != nil)
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("map") { $0.matrix(map, rows: n, columns: n) }
                o.field("residual") { $0.array(attention.residual) }
                o.field("bias_l1") { $0.array(attention.biasL1) }
                o.field("ffn") { $0.array(ffn.ffn) }
                o.field("ffn_residual") { $0.array(ffn.residual) }
            }
            return .json(w.data)
        }
    }

    /// `GET /api/runs/{id}/neurons?layer&token&k`: the FFN neurons with the largest contributions at a token.
    static func neurons(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "token", "k"])
        let n = run.trace.shape.tokens
        let l = try layer(q, run), t = try q.token("token", count: n, default: n - 1)
        let k = try q.int("k", in: 1...1000, default: 20)
        return AnalysisEndpoints.Prepared {
            let result = try NeuronContributions.compute(model: run.model.model, trace: run.trace, layer: l, token: t)
            var w = JSONWriter()
            w.object { o in
                o.field("layer", l)
                o.field("token", t)
                o.field("residual", result.residual)
                o.field("neurons") { w in
                    w.array(result.top(k)) { w, neuron in
                        w.object { e in
                            e.field("index", neuron.index)
                            e.field("weight", neuron.weight)
                            e.field("activation", neuron.activation)
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }
}
