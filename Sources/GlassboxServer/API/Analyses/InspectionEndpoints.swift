import JSON
import Analysis
import Foundation
import Transformer

/// The endpoint of the recorded attention patterns (`Analysis/Inspection`).
extension AnalysisEndpoints {
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
}
