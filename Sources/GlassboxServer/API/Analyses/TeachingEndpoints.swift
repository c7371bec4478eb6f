import JSON
import Analysis
import Foundation
import Transformer

/// The Teaching view's endpoints (`Analysis/Teaching`): one token's walk through the model, and the full
/// next-token logits after a position that the sampling sliders reshape in the browser.
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/walk?token&k&neurons`: `TokenWalk` as JSON.
    static func walk(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["token", "k", "neurons"])
        let n = run.trace.shape.tokens
        let t = try q.token("token", count: n, default: n - 1)
        let k = try q.int("k", in: 1...50, default: 5)
        let neurons = try q.int("neurons", in: 1...50, default: 5)
        return Prepared {
            let walk = try TokenWalk.compute(
                model: run.model.model, trace: run.trace, position: t, k: k, neurons: neurons, workers: workers)
            var w = JSONWriter(capacity: 4096 + walk.layers.count * (t + 1) * run.trace.shape.heads * 12)
            w.object { o in
                o.field("token", t)
                o.field("id", walk.tokenID)
                o.field("display", display(run, walk.tokenID))
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("embedding") { w in
                    w.object { e in
                        e.field("norm", walk.embeddingNorm)
                        e.field("first_values") { $0.array(walk.embeddingHead) }
                        e.field("lens") { candidates(run, walk.embeddingLens, into: &$0) }
                    }
                }
                o.field("layers") { w in
                    w.array(walk.layers) { w, layer in
                        w.object { l in
                            l.field("layer", layer.layer)
                            l.field("attention") { w in w.array(layer.attention) { w, row in w.array(row) } }
                            l.field("attention_output_norm", layer.attentionOutputNorm)
                            l.field("ffn_output_norm", layer.ffnOutputNorm)
                            l.field("mid_norm", layer.midNorm)
                            l.field("residual_norm", layer.residualNorm)
                            l.field("neurons") { w in
                                w.array(layer.neurons) { w, neuron in
                                    w.object {
                                        $0.field("index", neuron.index)
                                        $0.field("activation", neuron.activation)
                                        $0.field("weight", neuron.weight)
                                    }
                                }
                            }
                            l.field("lens") { candidates(run, layer.lens, into: &$0) }
                        }
                    }
                }
                o.field("output") { candidates(run, walk.output, into: &$0) }
            }
            return .json(w.data)
        }
    }

    static func candidates(_ run: RunState, _ list: [TokenWalk.Candidate], into w: inout JSONWriter) {
        w.array(list) { w, c in
            w.object { e in
                e.field("id", c.id)
                e.field("display", display(run, c.id))
                e.field("logit", c.logit)
                e.field("probability", c.probability)
                e.field("previous_rank") { w in c.previousRank.map { w.number($0) } ?? w.raw("null") }
            }
        }
    }

    /// `GET /api/runs/{id}/logits?token&format`: the model's next-token logits after the position over the whole
    /// vocabulary (the lens of the last layer, which is the model's head), as JSON or little-endian float32
    /// (`format=f32`, `V` values).
    static func logits(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["token", "format"])
        let n = run.trace.shape.tokens
        let t = try q.token("token", count: n, default: n - 1)
        let format = try q.choice("format", ["json", "f32"], default: "json")
        return Prepared(binary: format == "f32") {
            let last = Representation(layer: run.model.model.info.layers - 1, point: .post, token: t)
            let values = Unembedding(model: run.model.model).logits(
                try LogitLens.vector(trace: run.trace, last), normalize: true)
            if format == "f32" {
                return Body(data: values.withUnsafeBytes { Data($0) }, contentType: "application/octet-stream")
            }
            var w = JSONWriter(capacity: 256 + values.count * 12)
            w.object { o in
                o.field("token", t)
                o.field("vocab_size", values.count)
                o.field("logits") { $0.array(values) }
            }
            return .json(w.data)
        }
    }
}
