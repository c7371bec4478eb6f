import Tensors
import Transformer

/// Unembeds many residual rows the way the model's head does (the final norm when `normalize`, the LM head, the
/// final soft-cap) in chunks of rows, so the LM head's weights are streamed, and when packed decoded, once per chunk
/// rather than once per row.
///
/// A chunk holds its `rows × V` float32 logits at once, so the chunk size is what `budgetBytes` of logits allows:
/// 256 MiB by default, 256 rows of Gemma 3's 262,144-token vocabulary. Larger chunks save little: each chunk decodes
/// the quantised head and OpenBLAS packs each weight tile once per call, a few percent at 256 rows; 1024-row chunks
/// took 2–4 % less CPU time and the same wall time at 512 tokens (`glassbox bench lens --budget-mb`), for 800 MB more.
///
/// A row's logits should not depend on which rows share its chunk, so that a range of positions gets the same bits
/// as the whole run. OpenBLAS's products can differ in the last bits between a one-row call (`sgemv`), a call of very
/// few rows (two rows differed from more on the fixture models; OpenBLAS has kernels of its own for tiny products)
/// and the rest, so every product here has at least `minimumRows` rows: chunks are balanced
/// (sizes differing by at most one) and hold `minimumRows` or more, and a pass over fewer rows pads its one chunk
/// with copies of its last row. That makes ranges bit-identical with OpenBLAS's SkylakeX kernels. Its Haswell
/// kernels (which it also picks on AMD EPYC) compute the rows of a product in groups of 12, and a row's last bits
/// depend on its place in them, so there a range matches the whole grid to float32 rounding (the tests allow
/// 1e-5 relative), not bit for bit.
public struct LogitRowPass: Sendable {
    /// Default bound on one chunk's logits: 256 MiB.
    public static let defaultBudgetBytes = 256 << 20
    /// Fewest rows of one product (a chunk's, padded when the pass has fewer rows).
    public static let minimumRows = 8

    public let model: DecoderModel
    public let normalize: Bool
    /// Bound on the bytes of one chunk's logits (a chunk may hold `2 · minimumRows` rows whatever the bound).
    public let budgetBytes: Int

    public init(model: DecoderModel, normalize: Bool, budgetBytes: Int = LogitRowPass.defaultBudgetBytes) {
        self.model = model
        self.normalize = normalize
        self.budgetBytes = budgetBytes
    }

    /// Rows one chunk may hold.
    public var rowsPerChunk: Int {
        max(2 * Self.minimumRows, budgetBytes / max(1, model.info.vocabSize * MemoryLayout<Float>.stride))
    }

    /// `0..<count` in the fewest chunks of at most `limit` rows, balanced: consecutive, sizes differing by at most one.
    public static func chunks(count: Int, limit: Int) -> [Range<Int>] {
        precondition(limit > 0, "a chunk needs room for a row")
        guard count > 0 else { return [] }
        let pieces = (count + limit - 1) / limit
        return (0..<pieces).map { (count * $0 / pieces)..<(count * ($0 + 1) / pieces) }
    }

    /// Calls `body(rows, logits)` for each chunk of the `count` rows of `block` (`[count, d]` row-major), in order:
    /// `logits` is `[rows.count, V]` row-major, valid during the call. `shouldContinue` is asked before each chunk
    /// (false throws `AnalysisCancelled`). The norm and the LM head split their work over `workers`.
    public func forEachChunk(
        rows block: ArraySlice<Float>, count n: Int, workers: Int,
        shouldContinue: () -> Bool = { true },
        _ body: (_ rows: Range<Int>, _ logits: UnsafePointer<Float>) throws -> Void
    ) throws {
        let d = model.info.dModel, V = model.info.vocabSize
        precondition(block.count >= n * d, "\(block.count) floats hold fewer than \(n) rows of \(d)")
        let chunks = Self.chunks(count: n, limit: rowsPerChunk)
        // A balanced chunk of at most `2m` rows (m = minimumRows) holds more than m rows unless it is the only one.
        let largest = max(Self.minimumRows, chunks.map(\.count).max() ?? 0)
        let pool = WorkerPool(workers: workers)
        let tiles = WeightTiles(workers: pool.workers)
        var normed = [Float](repeating: 0, count: largest * d)
        var logits = [Float](repeating: 0, count: largest * V)
        for chunk in chunks {
            guard shouldContinue() else { throw AnalysisCancelled() }
            let real = chunk.count, rows = max(real, Self.minimumRows)
            block.withUnsafeBufferPointer { x in
                normed.withUnsafeMutableBufferPointer { out in
                    let source = x.baseAddress! + chunk.lowerBound * d
                    if normalize {
                        model.finalNorm.apply(out.baseAddress!, mean: nil, scale: nil, source, rows: real, pool: pool)
                    } else {
                        out.baseAddress!.update(from: source, count: real * d)
                    }
                    for padding in real..<rows {
                        (out.baseAddress! + padding * d).update(from: out.baseAddress! + (real - 1) * d, count: d)
                    }
                }
            }
            normed.withUnsafeBufferPointer { x in
                logits.withUnsafeMutableBufferPointer { out in
                    model.lmHead.apply(out.baseAddress!, x.baseAddress!, rows: rows, pool: pool, tiles: tiles)
                    if let cap = model.logitSoftcap {
                        softcapForward(out.baseAddress!, out.baseAddress!, cap: cap, count: rows * V)
                    }
                }
            }
            try logits.withUnsafeBufferPointer { try body(chunk, $0.baseAddress!) }
        }
    }
}
