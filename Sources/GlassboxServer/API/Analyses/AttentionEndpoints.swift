import JSON
import Analysis
import Foundation

/// The attention-analytics endpoints (`Analysis/Attention`): per-head metrics with pattern classes, and rollout.
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/metrics?sparsity_epsilon&diagonal_width&clusters`: every head's metric means, pattern class
    /// and cluster (k-means over the metric means, `clusters` groups, default 5).
    static func metrics(_ run: RunState, _ q: QueryParameters) throws -> AnalysisEndpoints.Prepared {
        try q.allow(["sparsity_epsilon", "diagonal_width", "clusters"])
        let k = try q.int("clusters", in: 1...64, default: 5)
        var parameters = AttentionMetricParameters()
        parameters.sparsityEpsilon = try q.double("sparsity_epsilon", in: 0...1, default: parameters.sparsityEpsilon)
        parameters.diagonalWidth = try q.int("diagonal_width", in: 0...4096, default: parameters.diagonalWidth)
        return AnalysisEndpoints.Prepared { [parameters] in
            let heads = try HeadMetrics.all(trace: run.trace, parameters: parameters)
            // A one-token run has no metrics to cluster: its clusters are null.
            let clustering = try? HeadClustering(metrics: heads, k: k)
            var w = JSONWriter(capacity: 512 + heads.count * heads.first!.count * 400)
            w.object { o in
                o.field("layers", heads.count)
                o.field("heads_per_layer", heads.first?.count ?? 0)
                o.field("sparsity_epsilon", parameters.sparsityEpsilon)
                o.field("diagonal_width", parameters.diagonalWidth)
                o.field("heads") { w in
                    w.array(heads.flatMap({ $0 }).enumerated()) { w, item in
                        let (i, m) = item
                        w.object { h in
                            h.field("layer", m.layer)
                            h.field("head", m.head)
                            h.field("class", m.patternClass.rawValue)
                            for name in HeadMetrics.metricNames { h.field(name, m.value(of: name)!) }
                            h.field("vertical_key", m.verticalKey)
                            h.field("cluster") { w in clustering.map { w.number($0.assignment[i]) } ?? w.raw("null") }
                        }
                    }
                }
                o.field("clusters") { w in
                    guard let clustering else { return w.raw("null") }
                    w.object { c in
                        c.field("k", clustering.centroids.count)
                        c.field("seed", Int(HeadClustering.defaultSeed))
                        c.field("features") { $0.array(HeadClustering.featureNames) }
                        c.field("inertia", clustering.inertia)
                        c.field("groups") { w in
                            w.array(clustering.centroids.enumerated()) { w, item in
                                let (index, centroid) = item
                                w.object { g in
                                    g.field("id", index)
                                    g.field("members") { w in
                                        w.array(clustering.members(of: index)) { w, m in
                                            w.array([m.layer, m.head])
                                        }
                                    }
                                    g.field("centroid") { $0.array(centroid.map { Float($0) }) }
                                }
                            }
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
                throw ServiceError.badParameter(
                    "heads", "must be \"all\" or a comma-separated list of heads from 0 to \(H - 1), got \"\(text)\"")
            }
            heads = parsed.map { $0! }
        }
        return AnalysisEndpoints.Prepared { [heads] in
            let matrix = try AttentionRollout.compute(trace: run.trace, heads: heads)
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
}
