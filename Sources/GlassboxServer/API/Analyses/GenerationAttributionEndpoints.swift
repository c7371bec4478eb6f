import JSON
import Analysis
import Foundation
import Transformer

/// The attribution of a generated continuation (inseq's main view): for every generated token, the share of each
/// earlier token in its prediction from the contribution graph (`ContributionShare` at the position that predicted
/// it), as a generated-token × source matrix.
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/generation-attribution?from`: rows for the tokens at positions `from…n−1` (default the
    /// run's `generated_from`, else the last token), each the shares of positions `0…n−2` in the prediction made at
    /// the position before it (0 beyond it).
    static func generationAttribution(_ run: RunState, _ q: QueryParameters, workers: Int) throws -> Prepared {
        try q.allow(["from"])
        let n = run.trace.shape.tokens
        guard n >= 2 else { throw ServiceError.badParameter("from", "a run of one token has no predicted token") }
        let generated = (try? JSONSerialization.jsonObject(with: run.summary) as? [String: Any])?["generated_from"]
        let from = try q.int("from", in: 1...(n - 1), default: (generated as? Int) ?? (n - 1))
        return Prepared {
            let contributions = try run.contributions(workers: workers)
            let rows = (from..<n).map { j in ContributionShare.scores(contributions, position: j - 1) }
            var w = JSONWriter(capacity: 1024 + rows.count * n * 12)
            w.object { o in
                o.field("method", "contribution-share")
                o.field("from", from)
                o.field("tokens") { tokens(run, into: &$0) }
                o.field("generated") { w in
                    w.array(from..<n) { w, j in
                        w.object { t in
                            t.field("position", j)
                            t.field("id", run.trace.tokens[j])
                            t.field("display", display(run, run.trace.tokens[j]))
                        }
                    }
                }
                o.field("shares") { w in
                    w.array(rows) { w, row in w.array(row.prefix(n - 1).map { Float($0) }) }
                }
            }
            return .json(w.data)
        }
    }
}
