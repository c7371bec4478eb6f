import Analysis
import Figures
import Foundation

/// Figures drawn by the server (`Sources/Figures`), for notebooks and pages that show pictures without JavaScript.
extension AnalysisEndpoints {
    /// `GET /api/runs/{id}/attention.svg?layer&head`: the attention heatmap of one head (or the mean over heads,
    /// `head=all`) as the browser's heatmap export draws it, tokens on both axes. At most
    /// `HeatmapFigure.maxCells` tokens (413 beyond: the numbers are at `/attention?format=f32`).
    static func attentionSVG(_ run: RunState, _ q: QueryParameters) throws -> Prepared {
        try q.allow(["layer", "head"])
        let l = try layer(q, run)
        let head = try headParameter(q, run)
        let n = run.trace.shape.tokens
        guard n <= HeatmapFigure.maxCells else {
            throw ServiceError.tooLarge(
                "the run has \(n) tokens; attention.svg draws at most \(HeatmapFigure.maxCells) (the pattern itself is "
                    + "at /attention?format=f32)")
        }
        return AnalysisEndpoints.Prepared(binary: true) {
            let pattern = try AttentionMaps.pattern(trace: run.trace, layer: l, head: head)
            let tokens = run.trace.tokens.map { display(run, $0) }
            let title = "attention · layer \(l) · " + (head.map { "head \($0)" } ?? "mean of the heads")
            let svg = HeatmapFigure.attention(pattern: pattern, tokens: tokens, title: title).svg()
            return Body(data: Data(svg.utf8), contentType: "image/svg+xml; charset=utf-8")
        }
    }
}
