import Foundation
import Tensors
import Transformer

/// The lens grid computed the straightforward way, as it was before `LogitRowPass`: chunks of at most 256 MB of
/// logits (256 rows of a 262,144-token vocabulary, the last chunk whatever is left), each chunk's rows reduced one
/// after another on the calling thread, every term of every softmax denominator computed. The oracle the tests hold
/// `NextTokenTable.lensGrid` to (bit for bit), and the baseline of `glassbox bench lens --baseline`.
public enum SerialLensGrid {
    /// Top-`k` per (layer, position), `[L][n]`, of the whole run.
    public static func compute(
        model: DecoderModel, trace: Trace, point: ResidualPoint, k: Int = 1, normalize: Bool = true,
        workers: Int = 1
    ) throws -> [[[NextTokenPrediction]]] {
        try ContributionInputs.check(model: model, trace: trace)
        let n = trace.shape.tokens, L = model.info.layers, d = model.info.dModel, V = model.info.vocabSize
        var rows = [Float]()
        rows.reserveCapacity(L * n * d)
        for l in 0..<L {
            switch point {
            case .pre: rows += trace.pre(l)
            case .mid: rows += trace.mid(l)
            case .post: rows += trace.post(l)
            }
        }
        let count = L * n
        let chunk = max(1, min(count, (256 << 20) / (V * 4)))
        let pool = WorkerPool(workers: workers)
        var normed = [Float](repeating: 0, count: chunk * d), logits = [Float](repeating: 0, count: chunk * V)
        var table: [[NextTokenPrediction]] = []
        table.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: chunk) {
            let size = min(chunk, count - start)
            rows.withUnsafeBufferPointer { x in
                normed.withUnsafeMutableBufferPointer { out in
                    if normalize {
                        model.finalNorm.apply(
                            out.baseAddress!, mean: nil, scale: nil, x.baseAddress! + start * d, rows: size,
                            pool: pool)
                    } else {
                        out.baseAddress!.update(from: x.baseAddress! + start * d, count: size * d)
                    }
                }
            }
            normed.withUnsafeBufferPointer { x in
                logits.withUnsafeMutableBufferPointer { out in
                    model.lmHead.apply(out.baseAddress!, x.baseAddress!, rows: size, pool: pool)
                    if let cap = model.logitSoftcap {
                        softcapForward(out.baseAddress!, out.baseAddress!, cap: cap, count: size * V)
                    }
                }
            }
            for r in 0..<size { table.append(top(Array(logits[(r * V)..<((r + 1) * V)]), k: k)) }
        }
        return (0..<L).map { Array(table[($0 * n)..<(($0 + 1) * n)]) }
    }

    /// `NextTokenPrediction.top` as it was: every term of the softmax denominator computed and added.
    public static func top(_ values: [Float], k: Int) -> [NextTokenPrediction] {
        guard !values.isEmpty, k > 0 else { return [] }
        let maximum = Double(values.max()!)
        var total = 0.0
        for v in values { total += exp(Double(v) - maximum) }
        return TopK.largest(values, k).map {
            NextTokenPrediction(id: $0, logit: values[$0], probability: exp(Double(values[$0]) - maximum) / total)
        }
    }
}
