import JSON
import Analysis
import Foundation
import Transformer

/// The analysis endpoints as pure functions of a run and its query: JSON (or binary float32) bodies, or a
/// `ServiceError` naming the bad parameter.
enum AnalysisEndpoints {
    /// A response body and its content type.
    struct Body: Sendable {
        let data: Data
        let contentType: String

        static func json(_ data: Data) -> Body { Body(data: data, contentType: "application/json") }
    }

    /// A request whose query is parsed and validated (so the query's `canonical` names it): what is left is the
    /// computation, run on a cache miss only.
    struct Prepared: Sendable {
        /// The body is binary (not JSON): it is neither cached nor shared between requests.
        let binary: Bool
        let compute: @Sendable () throws -> Body

        init(binary: Bool = false, _ compute: @escaping @Sendable () throws -> Body) {
            self.binary = binary
            self.compute = compute
        }
    }

    static func layer(_ q: QueryParameters, _ run: RunState) throws -> Int {
        try q.int("layer", in: 0...(run.model.model.info.layers - 1))
    }

    static func display(_ run: RunState, _ id: Int) -> String { run.model.tokenizer.displayString(for: id) }

    static func tokens(_ run: RunState, into w: inout JSONWriter) {
        w.array(run.trace.tokens.map { display(run, $0) })
    }

    // MARK: graph

    /// `GET /api/runs/{id}/graph?threshold&renormalize&target`: every edge of the thresholded graph and, per start
    /// token, the indices of its path edges (without `target`); or the path edges of one start token (`target=t`)
    /// or of all (`target=all`).
    static func graph(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["threshold", "renormalize", "target"])
        let threshold = try q.double("threshold", in: 0...1, default: GraphOptions.defaultThreshold)
        let renormalize = try q.bool("renormalize", default: true)
        let n = run.trace.shape.tokens
        enum Target { case full, all, token(Int) }
        let target: Target
        switch q.string("target") {
        case nil: target = .full
        case "all"?: target = .all
        default: target = .token(try q.token("target", count: n))
        }
        return AnalysisEndpoints.Prepared {
            let contributions: ModelContributions
            do { contributions = try run.contributions(workers: workers) } catch { throw ServiceError.internal("\(error)") }
            let graph = ContributionGraph(contributions: contributions,
                                          options: try GraphOptions(threshold: threshold, renormalize: renormalize))
            let edges: [GraphEdge]
            var paths: [[Int]]? = nil
            switch target {
            case .full:
                edges = graph.edges
                paths = graph.pathEdgeIndicesForAllStarts()
            case .all: edges = graph.pathUnion()
            case .token(let t): edges = try graph.paths(start: t)
            }
            var w = JSONWriter(capacity: 256 + edges.count * 64)
            w.object { o in
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("layers", graph.layers)
                o.field("threshold", threshold)
                o.field("renormalize", renormalize)
                o.field("path_threshold", graph.options.pathThreshold)
                o.field("target") { w in
                    switch target {
                    case .full: w.raw("null")
                    case .all: w.string("all")
                    case .token(let t): w.number(t)
                    }
                }
                o.field("edges") { w in
                    w.raw("[")
                    for (i, e) in edges.enumerated() {
                        if i > 0 { w.raw(",") }
                        w.raw("{\"source\":\"\(e.source)\",\"target\":\"\(e.target)\",\"weight\":")
                        w.number(e.weight)
                        w.raw(",\"kind\":\"\(e.kind.rawValue)\"}")
                    }
                    w.raw("]")
                }
                if let paths {
                    o.field("paths") { w in
                        w.raw("[")
                        for (i, p) in paths.enumerated() {
                            if i > 0 { w.raw(",") }
                            w.array(p)
                        }
                        w.raw("]")
                    }
                }
            }
            return .json(w.data)
        }
    }

    // MARK: attention

    /// `GET /api/runs/{id}/attention?layer&head&format`: the attention pattern `[q][k]` of one head or the mean over
    /// heads (`head=all`), as JSON or as little-endian float32 (`format=f32`, row-major `n × n`).
    static func attention(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "head", "format"])
        let l = try layer(q, run)
        let head = try headParameter(q, run)
        let format = try q.choice("format", ["json", "f32"], default: "json")
        return AnalysisEndpoints.Prepared(binary: format == "f32") {
            let n = run.trace.shape.tokens
            let pattern = try AttentionMaps.pattern(trace: run.trace, layer: l, head: head)
            if format == "f32" {
                return Body(data: pattern.withUnsafeBytes { Data($0) }, contentType: "application/octet-stream")
            }
            var w = JSONWriter(capacity: 256 + n * n * 12)
            w.object { o in
                o.field("layer", l)
                o.field("head") { w in head.map { w.number($0) } ?? w.string("all") }
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("pattern") { $0.matrix(pattern, rows: n, columns: n) }
            }
            return .json(w.data)
        }
    }

    static func headParameter(_ q: QueryParameters, _ run: RunState) throws -> Int? {
        let heads = run.model.model.info.heads
        guard let text = q.string("head"), text != "all" else { return nil }
        guard let h = Int(text), (0..<heads).contains(h) else {
            throw ServiceError.badParameter("head", "must be a head from 0 to \(heads - 1) or \"all\", got \"\(text)\"")
        }
        return h
    }

    // MARK: contributions

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
            let all: ModelContributions
            do { all = try run.contributions(workers: workers) } catch { throw ServiceError.internal("\(error)") }
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

    // MARK: lens, promoted, neurons

    /// `GET /api/runs/{id}/lens?layer&point&token&k&normalize`.
    static func lens(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "point", "token", "k", "normalize"])
        let n = run.trace.shape.tokens
        let r = Representation(layer: try layer(q, run),
                               point: ResidualPoint(rawValue: try q.choice("point", ["pre", "mid", "post"], default: "post"))!,
                               token: try q.token("token", count: n, default: n - 1))
        let k = try q.int("k", in: 1...200, default: 10)
        let normalize = try q.bool("normalize", default: true)
        return AnalysisEndpoints.Prepared {
            let top: [LogitLens.Entry]
            do { top = try LogitLens.top(model: run.model.model, trace: run.trace, representation: r, k: k, normalize: normalize) }
            catch { throw ServiceError.badParameter("layer", "\(error)") }
            var w = JSONWriter()
            w.object { o in
                o.field("layer", r.layer)
                o.field("point", r.point.rawValue)
                o.field("token", r.token)
                o.field("normalize", normalize)
                o.field("predecessor") { w in
                    guard let p = r.predecessor else { return w.raw("null") }
                    w.object { $0.field("layer", p.layer); $0.field("point", p.point.rawValue) }
                }
                o.field("top") { w in
                    w.raw("[")
                    for (i, e) in top.enumerated() {
                        if i > 0 { w.raw(",") }
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
                    w.raw("]")
                }
            }
            return .json(w.data)
        }
    }

    /// `GET /api/runs/{id}/lens-grid?point&normalize`: the top token (with its probability) of the logit lens at
    /// every (layer, position).
    static func lensGrid(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["point", "normalize"])
        let point = ResidualPoint(rawValue: try q.choice("point", ["pre", "mid", "post"], default: "post"))!
        let normalize = try q.bool("normalize", default: true)
        return AnalysisEndpoints.Prepared {
            let grid: [[[NextTokenTable.Prediction]]]
            do {
                grid = try NextTokenTable.lensGrid(model: run.model.model, trace: run.trace, point: point, k: 1,
                                                   normalize: normalize, workers: workers)
            } catch { throw ServiceError.internal("\(error)") }
            var w = JSONWriter(capacity: 256 + grid.count * run.trace.shape.tokens * 96)
            w.object { o in
                o.field("layers", grid.count)
                o.field("point", point.rawValue)
                o.field("normalize", normalize)
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("cells") { w in
                    w.raw("[")
                    for (l, row) in grid.enumerated() {
                        if l > 0 { w.raw(",") }
                        w.raw("[")
                        for (t, cell) in row.enumerated() {
                            if t > 0 { w.raw(",") }
                            let p = cell[0]
                            w.object { c in
                                c.field("id", p.id)
                                c.field("display", display(run, p.id))
                                c.field("logit", p.logit)
                                c.field("probability", p.probability)
                            }
                        }
                        w.raw("]")
                    }
                    w.raw("]")
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
                result = try PromotedTokens.compute(model: run.model.model, trace: run.trace, block: block, k: k,
                                                    normalize: normalize)
            } catch let error as ServiceError { throw error } catch { throw ServiceError.badParameter("kind", "\(error)") }
            var w = JSONWriter()
            func list(_ tokens: [PromotedTokens.Token], _ w: inout JSONWriter) {
                w.raw("[")
                for (i, t) in tokens.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.object { o in o.field("id", t.id); o.field("display", display(run, t.id)); o.field("logit", t.logit) }
                }
                w.raw("]")
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

    /// `GET /api/runs/{id}/neurons?layer&token&k`: the FFN neurons with the largest contributions at a token.
    static func neurons(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "token", "k"])
        let n = run.trace.shape.tokens
        let l = try layer(q, run), t = try q.token("token", count: n, default: n - 1)
        let k = try q.int("k", in: 1...1000, default: 20)
        return AnalysisEndpoints.Prepared {
            let result: NeuronContributions
            do { result = try NeuronContributions.compute(model: run.model.model, trace: run.trace, layer: l, token: t) }
            catch { throw ServiceError.internal("\(error)") }
            var w = JSONWriter()
            w.object { o in
                o.field("layer", l)
                o.field("token", t)
                o.field("residual", result.residual)
                o.field("neurons") { w in
                    w.raw("[")
                    for (i, neuron) in result.top(k).enumerated() {
                        if i > 0 { w.raw(",") }
                        w.object { e in
                            e.field("index", neuron.index)
                            e.field("weight", neuron.weight)
                            e.field("activation", neuron.activation)
                        }
                    }
                    w.raw("]")
                }
            }
            return .json(w.data)
        }
    }
}
