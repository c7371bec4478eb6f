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
            model: model, rows: trace.post(model.info.layers - 1), count: trace.shape.tokens, k: k,
            normalize: true, workers: workers)
    }

    /// The logit lens of every position at one point of every layer: the top-`k` tokens per (layer, position),
    /// `[L][n]`, computed layer by layer in row chunks.
    public static func lensGrid(
        model: DecoderModel, trace: Trace, point: ResidualPoint, k: Int = 1,
        normalize: Bool = true, workers: Int = 1,
        shouldContinue: () -> Bool = { true }
    ) throws -> [[[Prediction]]] {
        try ContributionInputs.check(model: model, trace: trace)
        // All layers' rows in one matrix: every pass of the LM head over its weights serves as many rows as fit.
        let n = trace.shape.tokens, L = model.info.layers
        var rows = [Float]()
        rows.reserveCapacity(L * n * model.info.dModel)
        for l in 0..<L {
            switch point {
            case .pre: rows += trace.pre(l)
            case .mid: rows += trace.mid(l)
            case .post: rows += trace.post(l)
            }
        }
        let all = try top(
            model: model, rows: rows[...], count: L * n, k: k, normalize: normalize, workers: workers,
            shouldContinue: shouldContinue)
        return (0..<L).map { Array(all[($0 * n)..<(($0 + 1) * n)]) }
    }

    /// Top-`k` of `unembed([final norm](row))` for `count` rows of `[count, d]`.
    static func top(
        model: DecoderModel, rows block: ArraySlice<Float>, count n: Int, k: Int, normalize: Bool,
        workers: Int, shouldContinue: () -> Bool = { true }
    ) throws -> [[Prediction]] {
        guard k > 0 else { throw AnalysisError("k must be at least 1, got \(k)") }
        var table: [[Prediction]] = []
        table.reserveCapacity(n)
        try forEachLogitRow(
            model: model, rows: block, count: n, normalize: normalize, workers: workers,
            shouldContinue: shouldContinue
        ) { _, logits in
            table.append(predictions(Array(logits), k: k))
        }
        return table
    }

    /// Calls `body(row index, logits)` with `unembed([final norm](row))` (soft-capped as the model's own logits)
    /// for each of `count` rows of `[count, d]`, in order, computing them in chunks so the LM head's weights are
    /// streamed once per chunk rather than once per row. `shouldContinue` is asked before each chunk (false throws
    /// `AnalysisCancelled`).
    static func forEachLogitRow(
        model: DecoderModel, rows block: ArraySlice<Float>, count n: Int, normalize: Bool,
        workers: Int, shouldContinue: () -> Bool = { true },
        _ body: (Int, ArraySlice<Float>) -> Void
    ) throws {
        let d = model.info.dModel, V = model.info.vocabSize
        // Each chunk streams the whole LM head (671 MB of float32 for Gemma 3's 262k vocabulary), so chunks are as
        // large as 256 MB of logits allows.
        let chunk = max(1, min(n, (256 << 20) / (V * 4)))
        let pool = WorkerPool(workers: workers)
        var normed = [Float](repeating: 0, count: chunk * d), logits = [Float](repeating: 0, count: chunk * V)
        for start in stride(from: 0, to: n, by: chunk) {
            guard shouldContinue() else { throw AnalysisCancelled() }
            let rows = min(chunk, n - start)
            block.withUnsafeBufferPointer { x in
                normed.withUnsafeMutableBufferPointer { out in
                    if normalize {
                        model.finalNorm.apply(
                            out.baseAddress!, mean: nil, scale: nil, x.baseAddress! + start * d,
                            rows: rows, pool: pool)
                    } else {
                        out.baseAddress!.update(from: x.baseAddress! + start * d, count: rows * d)
                    }
                }
            }
            normed.withUnsafeBufferPointer { x in
                logits.withUnsafeMutableBufferPointer { out in
                    model.lmHead.apply(out.baseAddress!, x.baseAddress!, rows: rows, pool: pool)
                    if let cap = model.logitSoftcap {
                        softcapForward(out.baseAddress!, out.baseAddress!, cap: cap, count: rows * V)
                    }
                }
            }
            for r in 0..<rows { body(start + r, logits[(r * V)..<((r + 1) * V)]) }
        }
    }
}
