import JSON
import Analysis
import Foundation
import Transformer

/// The logit-lens endpoints (`Analysis/Lens`): one residual point, the grid of top tokens, promoted tokens.
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/lens?layer&point&token&k&normalize`.
    static func lens(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "point", "token", "k", "normalize"])
        let n = run.trace.shape.tokens
        let r = Representation(
            layer: try layer(q, run),
            point: ResidualPoint(rawValue: try q.choice("point", ["pre", "mid", "post"], default: "post"))!,
            token: try q.token("token", count: n, default: n - 1))
        let k = try q.int("k", in: 1...200, default: 10)
        let normalize = try q.bool("normalize", default: true)
        return AnalysisEndpoints.Prepared {
            let top = try LogitLens.top(
                model: run.model.model, trace: run.trace, representation: r, k: k, normalize: normalize)
            var w = JSONWriter()
            w.object { o in
                o.field("layer", r.layer)
                o.field("point", r.point.rawValue)
                o.field("token", r.token)
                o.field("normalize", normalize)
                o.field("predecessor") { w in
                    guard let p = r.predecessor else { return w.raw("null") }
                    w.object {
                        $0.field("layer", p.layer)
                        $0.field("point", p.point.rawValue)
                    }
                }
                o.field("top") { w in
                    w.array(top) { w, e in
                        w.object { t in
                            t.field("id", e.id)
                            t.field("display", display(run, e.id))
                            t.field("logit", e.logit)
                            t.field("probability", e.probability)
                            t.field("rank", e.rank)
                            t.field("previous_rank") { w in e.previousRank.map { w.number($0) } ?? w.raw("null") }
                            t.field("rank_change") { w in e.rankChange.map { w.number($0) } ?? w.raw("null") }
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }

    /// `GET /api/runs/{id}/lens-grid?point&normalize&from&to`: the top token (with its probability) of the logit lens
    /// at every layer and the positions `from…to` (inclusive; default the whole run). `tokens` is always the whole
    /// run's; `cells[l][i]` is position `from + i`. The whole run's grid is kept with the run (the anomalies' lens
    /// flips reuse it), and a range is sliced from it when it is there, else computed alone.
    static func lensGrid(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["point", "normalize", "from", "to"])
        let n = run.trace.shape.tokens
        let point = ResidualPoint(rawValue: try q.choice("point", ["pre", "mid", "post"], default: "post"))!
        let normalize = try q.bool("normalize", default: true)
        let from = try q.token("from", count: n, default: 0)
        let to = try q.token("to", count: n, default: n - 1)
        guard to >= from else { throw ServiceError.badParameter("to", "must not be before from (\(from)), got \(to)") }
        return AnalysisEndpoints.Prepared {
            let grid: [[[NextTokenPrediction]]]
            if from == 0 && to == n - 1 {
                grid = try run.lensGrid(point: point, normalize: normalize, workers: workers)
            } else if let whole = run.cachedLensGrid(point: point, normalize: normalize) {
                grid = whole.map { Array($0[from...to]) }
            } else {
                grid = try NextTokenTable.lensGrid(
                    model: run.model.model, trace: run.trace, point: point, k: 1, normalize: normalize,
                    positions: from..<(to + 1), workers: workers)
            }
            var w = JSONWriter(capacity: 256 + n * 24 + grid.count * (to - from + 1) * 96)
            w.object { o in
                o.field("layers", grid.count)
                o.field("point", point.rawValue)
                o.field("normalize", normalize)
                o.field("from", from)
                o.field("to", to)
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("cells") { w in
                    w.array(grid) { w, row in
                        w.array(row) { w, cell in
                            let p = cell[0]
                            w.object { c in
                                c.field("id", p.id)
                                c.field("display", display(run, p.id))
                                c.field("logit", p.logit)
                                c.field("probability", p.probability)
                            }
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }

    /// `GET /api/runs/{id}/promoted?kind&layer&token&head&neuron&k&normalize`.
    static func promoted(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["kind", "layer", "token", "head", "neuron", "k", "normalize"])
        let info = run.model.model.info, n = run.trace.shape.tokens
        let kind = try q.choice("kind", ["attention", "head", "ffn", "neuron", "neuron_scaled"])
        let l = try layer(q, run)
        func token() throws -> Int { try q.token("token", count: n, default: n - 1) }
        func neuron() throws -> Int { try q.int("neuron", in: 0...(info.ffnDim - 1)) }
        let block: BlockOutput
        switch kind {
        case "attention": block = .attention(layer: l, token: try token())
        case "head": block = .head(layer: l, token: try token(), head: try q.int("head", in: 0...(info.heads - 1)))
        case "ffn": block = .ffn(layer: l, token: try token())
        case "neuron": block = .neuron(layer: l, neuron: try neuron())
        default: block = .scaledNeuron(layer: l, token: try token(), neuron: try neuron())
        }
        let k = try q.int("k", in: 1...200, default: 15)
        let normalize = try q.bool("normalize", default: true)
        return AnalysisEndpoints.Prepared {
            let result: PromotedTokens
            do {
                result = try PromotedTokens.compute(
                    model: run.model.model, trace: run.trace, block: block, k: k,
                    normalize: normalize)
            } catch { throw ServiceError(error) }
            var w = JSONWriter()
            func list(_ tokens: [PromotedTokens.Token], _ w: inout JSONWriter) {
                w.array(tokens) { w, t in
                    w.object { o in
                        o.field("id", t.id)
                        o.field("display", display(run, t.id))
                        o.field("logit", t.logit)
                    }
                }
            }
            w.object { o in
                o.field("kind", kind)
                o.field("caption", block.description)
                o.field("normalized", result.normalized)
                o.field("promoted") { list(result.promoted, &$0) }
                o.field("suppressed") { list(result.suppressed, &$0) }
            }
            return .json(w.data)
        }
    }
}
