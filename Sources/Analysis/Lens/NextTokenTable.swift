import Foundation
import Tensors
import Transformer

/// The model's next-token predictions at every position of a run (what the logits would be there), computed in
/// chunks of rows so the `n × V` logit matrix is never held: top-k per position with probabilities.
public enum NextTokenTable {
    /// One predicted token: the engine's one prediction type.
    public typealias Prediction = NextTokenPrediction

    /// The `k` largest of one row of logits with their softmax probabilities over the whole row.
    public static func predictions(_ logits: [Float], k: Int) -> [Prediction] { NextTokenPrediction.top(logits, k: k) }

    /// Top-`k` predictions after each position, in order of position.
    public static func compute(model: DecoderModel, trace: Trace, k: Int, workers: Int = 1) throws -> [[Prediction]] {
        try ContributionInputs.check(model: model, trace: trace)
        return try top(
            LogitRowPass(model: model, normalize: true), rows: trace.post(model.info.layers - 1),
            count: trace.shape.tokens, k: k, workers: workers)
    }

    /// The logit lens at one point of every layer for the positions `positions` (default: all): the top-`k`
    /// tokens per (layer, position), `[L][positions.count]`. All the layers' rows go through one `LogitRowPass`,
    /// so every pass over the LM head's weights serves as many rows as its memory budget allows; a position's
    /// cells are the same whichever range asks for them.
    public static func lensGrid(
        model: DecoderModel, trace: Trace, point: ResidualPoint, k: Int = 1,
        normalize: Bool = true, positions: Range<Int>? = nil, workers: Int = 1,
        budgetBytes: Int = LogitRowPass.defaultBudgetBytes,
        shouldContinue: () -> Bool = { true }
    ) throws -> [[[Prediction]]] {
        try ContributionInputs.check(model: model, trace: trace)
        let n = trace.shape.tokens, L = model.info.layers, d = model.info.dModel
        let columns = positions ?? 0..<n
        guard columns.lowerBound >= 0, columns.upperBound <= n, !columns.isEmpty else {
            throw AnalysisError("positions \(columns) are not a non-empty range within the run's \(n) tokens")
        }
        let m = columns.count
        var rows = [Float]()
        rows.reserveCapacity(L * m * d)
        for l in 0..<L {
            let block: ArraySlice<Float>
            switch point {
            case .pre: block = trace.pre(l)
            case .mid: block = trace.mid(l)
            case .post: block = trace.post(l)
            }
            rows += block[(block.startIndex + columns.lowerBound * d)..<(block.startIndex + columns.upperBound * d)]
        }
        let all = try top(
            LogitRowPass(model: model, normalize: normalize, budgetBytes: budgetBytes), rows: rows[...],
            count: L * m, k: k, workers: workers, shouldContinue: shouldContinue)
        return (0..<L).map { Array(all[($0 * m)..<(($0 + 1) * m)]) }
    }

    /// Top-`k` of the `pass`'s logits of `count` rows of `[count, d]`. The norm and LM head split each chunk's
    /// columns over `workers`; the softmax and top-k then split the chunk's rows over them (each row's arithmetic is
    /// `NextTokenPrediction.top`'s, so the result does not depend on the split).
    static func top(
        _ pass: LogitRowPass, rows block: ArraySlice<Float>, count n: Int, k: Int,
        workers: Int, shouldContinue: () -> Bool = { true }
    ) throws -> [[Prediction]] {
        guard k > 0 else { throw AnalysisError("k must be at least 1, got \(k)") }
        let V = pass.model.info.vocabSize
        let pool = WorkerPool(workers: workers)
        var table = [[Prediction]](repeating: [], count: n)
        try table.withUnsafeMutableBufferPointer { table in
            let out = PredictionRows(table.baseAddress!)
            try pass.forEachChunk(rows: block, count: n, workers: workers, shouldContinue: shouldContinue) {
                chunk, logits in
                let first = chunk.lowerBound, x = SharedReadPointer(logits)
                pool.forEachChunk(of: chunk.count) { rows in
                    for r in rows {
                        let row = UnsafeBufferPointer(start: x.base + r * V, count: V)
                        out.base[first + r] = NextTokenPrediction.top(row, k: k)
                    }
                }
            }
        }
        return table
    }

    /// Calls `body(row index, logits)` with `unembed([final norm](row))` (soft-capped as the model's own logits)
    /// for each of `count` rows of `[count, d]`, in order, through a `LogitRowPass` (its default budget).
    /// `shouldContinue` is asked before each chunk (false throws `AnalysisCancelled`).
    static func forEachLogitRow(
        model: DecoderModel, rows block: ArraySlice<Float>, count n: Int, normalize: Bool,
        workers: Int, shouldContinue: () -> Bool = { true },
        _ body: (Int, UnsafeBufferPointer<Float>) -> Void
    ) throws {
        let V = model.info.vocabSize
        try LogitRowPass(model: model, normalize: normalize).forEachChunk(
            rows: block, count: n, workers: workers, shouldContinue: shouldContinue
        ) { chunk, logits in
            for r in 0..<chunk.count {
                body(chunk.lowerBound + r, UnsafeBufferPointer(start: logits + r * V, count: V))
            }
        }
    }
}

/// The result rows workers fill, each worker its own rows.
private struct PredictionRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<[NextTokenPrediction]>

    init(_ base: UnsafeMutablePointer<[NextTokenPrediction]>) { self.base = base }
}
