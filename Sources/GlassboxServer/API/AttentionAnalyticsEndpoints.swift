import JSON
import Analysis
import Foundation

/// The attention-analytics endpoints: per-head metrics with pattern classes, rollout and layer flow.
enum AttentionAnalyticsEndpoints {
    /// `GET /api/runs/{id}/metrics?sparsity_epsilon&diagonal_width&clusters`: every head's metric means, pattern class
    /// and cluster (k-means over the metric means, `clusters` groups, default 5).
    static func metrics(_ run: RunState, _ q: QueryParameters) throws -> AnalysisEndpoints.Prepared {
        try q.allow(["sparsity_epsilon", "diagonal_width", "clusters"])
        let k = try q.int("clusters", in: 1...64, default: 5)
        var parameters = AttentionMetricParameters()
        parameters.sparsityEpsilon = try q.double("sparsity_epsilon", in: 0...1, default: parameters.sparsityEpsilon)
        parameters.diagonalWidth = try q.int("diagonal_width", in: 0...4096, default: parameters.diagonalWidth)
        return AnalysisEndpoints.Prepared { [parameters] in
            let heads: [[HeadMetrics]]
            do { heads = try HeadMetrics.all(trace: run.trace, parameters: parameters) } catch { throw ServiceError.internal("\(error)") }
            // A one-token run has no metrics to cluster: its clusters are null.
            let clustering = try? HeadClustering(metrics: heads, k: k)
            var w = JSONWriter(capacity: 512 + heads.count * heads.first!.count * 400)
            w.object { o in
                o.field("layers", heads.count)
                o.field("heads_per_layer", heads.first?.count ?? 0)
                o.field("sparsity_epsilon", parameters.sparsityEpsilon)
                o.field("diagonal_width", parameters.diagonalWidth)
                o.field("heads") { w in
                    w.raw("[")
                    for (i, m) in heads.flatMap({ $0 }).enumerated() {
                        if i > 0 { w.raw(",") }
                        w.object { h in
                            h.field("layer", m.layer)
                            h.field("head", m.head)
                            h.field("class", m.patternClass.rawValue)
                            for name in HeadMetrics.metricNames { h.field(name, m.value(of: name)!) }
                            h.field("vertical_key", m.verticalKey)
                            h.field("cluster") { w in clustering.map { w.number($0.assignment[i]) } ?? w.raw("null") }
                        }
                    }
                    w.raw("]")
                }
                o.field("clusters") { w in
                    guard let clustering else { return w.raw("null") }
                    w.object { c in
                        c.field("k", clustering.centroids.count)
                        c.field("seed", Int(HeadClustering.defaultSeed))
                        c.field("features") { $0.array(HeadClustering.featureNames) }
                        c.field("inertia", clustering.inertia)
                        c.field("groups") { w in
                            w.raw("[")
                            for (index, centroid) in clustering.centroids.enumerated() {
                                if index > 0 { w.raw(",") }
                                w.object { g in
                                    g.field("id", index)
                                    g.field("members") { w in
                                        w.raw("[")
                                        for (j, m) in clustering.members(of: index).enumerated() {
                                            if j > 0 { w.raw(",") }
                                            w.array([m.layer, m.head])
                                        }
                                        w.raw("]")
                                    }
                                    g.field("centroid") { $0.array(centroid.map { Float($0) }) }
                                }
                            }
                            w.raw("]")
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }

    /// `GET /api/runs/{id}/rollout?row&heads`: the rollout row of one position (default the last token) and the full
    /// matrix.
    static func rollout(_ run: RunState, _ q: QueryParameters) throws -> AnalysisEndpoints.Prepared {
        try q.allow(["row", "heads"])
        let n = run.trace.shape.tokens, H = run.trace.shape.heads
        let row = try q.token("row", count: n, default: n - 1)
        var heads: [Int]? = nil
        if let text = q.string("heads"), text != "all" {
            let parsed = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && (0..<H).contains($0!) }) else {
                throw ServiceError.badParameter("heads", "must be \"all\" or a comma-separated list of heads from 0 to \(H - 1), got \"\(text)\"")
            }
            heads = parsed.map { $0! }
        }
        return AnalysisEndpoints.Prepared { [heads] in
            let matrix: [Double]
            do { matrix = try AttentionRollout.compute(trace: run.trace, heads: heads) } catch { throw ServiceError.internal("\(error)") }
            var w = JSONWriter(capacity: 256 + n * n * 12)
            w.object { o in
                o.field("row", row)
                o.field("heads") { w in heads.map { w.array($0) } ?? w.string("all") }
                o.field("tokens") { AnalysisEndpoints.tokens(run, into: &$0) }
                o.field("shares") { $0.array(matrix[(row * n)..<((row + 1) * n)].map { Float($0) }) }
                o.field("matrix") { $0.matrix(matrix.map { Float($0) }, rows: n, columns: n) }
            }
            return .json(w.data)
        }
    }

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
                    w.raw("[")
                    for (i, layer) in flow.enumerated() {
                        if i > 0 { w.raw(",") }
                        w.object { l in
                            l.field("layer", layer.layer)
                            l.field("cos") { $0.array(layer.cosine.map { Float($0) }) }
                            l.field("information_loss") { $0.array(layer.informationLoss.map { Float($0) }) }
                            l.field("relative_update") { $0.array(layer.relativeUpdate.map { Float($0) }) }
                            l.field("attention_share") { $0.array(layer.attentionShare.map { Float($0) }) }
                            l.field("ffn_share") { $0.array(layer.ffnShare.map { Float($0) }) }
                        }
                    }
                    w.raw("]")
                }
            }
            return .json(w.data)
        }
    }
}
