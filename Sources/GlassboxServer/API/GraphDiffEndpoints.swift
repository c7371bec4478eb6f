import Analysis
import Foundation
import HTTP
import JSON

/// `GET /api/graph-diff?a=RUN&b=RUN&threshold&renormalize&top`: the difference of two runs' contribution graphs
/// (`GraphDiff`), computed on the analysis queue from each run's (cached) contributions.
extension GlassboxAPI {
    func graphDiff(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let query = QueryParameters(request.query)
        let a: String, b: String, options: GraphOptions, top: Int
        do {
            try query.allow(["a", "b", "threshold", "renormalize", "top"])
            guard let first = query.string("a"), !first.isEmpty else {
                throw ServiceError.badParameter("a", "required: the id of run A")
            }
            guard let second = query.string("b"), !second.isEmpty else {
                throw ServiceError.badParameter("b", "required: the id of run B")
            }
            a = first
            b = second
            options = try GraphOptions(
                threshold: try query.double("threshold", in: 0...1, default: GraphOptions.defaultThreshold),
                renormalize: try query.bool("renormalize", default: true))
            top = try query.int("top", in: 0...1000, default: 20)
        } catch {
            return respond(Self.response(ServiceError(error)))
        }
        let workers = service.configuration.threads
        service.state(id: a) { [self] first in
            service.state(id: b) { [self] second in
                let runA: RunState, runB: RunState
                do {
                    runA = try first.get()
                    runB = try second.get()
                    let (la, lb) = (runA.trace.shape.layers, runB.trace.shape.layers)
                    let (na, nb) = (runA.trace.shape.tokens, runB.trace.shape.tokens)
                    guard la == lb, na == nb else {
                        throw ServiceError.badParameter(
                            "b",
                            "the runs' graphs do not share a node set: A (\(runA.model.name)) has \(la) layers and "
                                + "\(na) tokens, B (\(runB.model.name)) has \(lb) layers and \(nb) tokens; diff "
                                + "runs of one architecture with the same number of tokens")
                    }
                } catch {
                    return respond(Self.response(ServiceError(error)))
                }
                let accepted = service.analyses.submit {
                    do {
                        let diff = try GraphDiff(
                            a: ContributionGraph(
                                contributions: try runA.contributions(workers: workers), options: options),
                            b: ContributionGraph(
                                contributions: try runB.contributions(workers: workers), options: options))
                        respond(.json(200, Self.graphDiffJSON(diff, runA, runB, options, top: top)))
                    } catch {
                        respond(Self.response(ServiceError(error)))
                    }
                }
                if !accepted {
                    respond(
                        Self.response(.busy("the server is busy with analysis work: try again shortly", retryAfter: 2)))
                }
            }
        }
    }

    static func graphDiffJSON(_ d: GraphDiff, _ a: RunState, _ b: RunState, _ options: GraphOptions, top: Int) -> Data {
        var w = JSONWriter(capacity: 512 + d.edges.count * 112)
        w.object { o in
            for (key, run) in [("a", a), ("b", b)] {
                o.field(key) { w in
                    w.object { r in
                        r.field("id", run.id)
                        r.field("model", run.model.name)
                        r.field("tokens") { AnalysisEndpoints.tokens(run, into: &$0) }
                    }
                }
            }
            o.field("layers", d.layers)
            o.field("threshold", options.threshold)
            o.field("renormalize", options.renormalize)
            o.field("counts") { w in
                w.object { c in
                    c.field("both", d.count(.both))
                    c.field("appears", d.count(.appears))
                    c.field("vanishes", d.count(.vanishes))
                }
            }
            o.field("edges") { w in
                w.array(d.edges) { w, e in
                    w.raw("{\"source\":\"\(e.source)\",\"target\":\"\(e.target)\",\"kind\":\"\(e.kind.rawValue)\",")
                    w.raw("\"weight_a\":")
                    w.number(e.weightA)
                    w.raw(",\"weight_b\":")
                    w.number(e.weightB)
                    w.raw(",\"difference\":")
                    w.number(e.difference)
                    w.raw(",\"change\":\"\(e.change.rawValue)\"}")
                }
            }
            o.field("largest") { $0.array(d.largestDifferences(top)) }
        }
        return w.data
    }
}
