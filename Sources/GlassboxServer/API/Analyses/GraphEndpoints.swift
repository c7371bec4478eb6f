import JSON
import Analysis
import Foundation
import Transformer

/// The endpoint of the contribution graph (`Analysis/Graph`).
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/graph?threshold&renormalize&target`: every edge of the thresholded graph and, per start
    /// token, the indices of its path edges (without `target`); or the path edges of one start token (`target=t`)
    /// or of all (`target=all`).
    static func graph(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["threshold", "renormalize", "target"])
        let threshold = try q.double("threshold", in: 0...1, default: GraphOptions.defaultThreshold)
        let renormalize = try q.bool("renormalize", default: true)
        let n = run.trace.shape.tokens
        enum Target {
            case full, all
            case token(Int)
        }
        let target: Target
        switch q.string("target") {
        case nil: target = .full
        case "all"?: target = .all
        default: target = .token(try q.token("target", count: n))
        }
        return AnalysisEndpoints.Prepared {
            let contributions = try run.contributions(workers: workers)
            let graph = ContributionGraph(
                contributions: contributions,
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
                    w.array(edges) { w, e in
                        w.raw("{\"source\":\"\(e.source)\",\"target\":\"\(e.target)\",\"weight\":")
                        w.number(e.weight)
                        w.raw(",\"kind\":\"\(e.kind.rawValue)\"}")
                    }
                }
                if let paths {
                    o.field("paths") { w in
                        w.array(paths) { w, p in
                            w.array(p)
                        }
                    }
                }
            }
            return .json(w.data)
        }
    }
}
