import Tensors
import Transformer

/// Maps a `d`-vector to vocabulary logits the way the model's head does: the final norm (optional), `W_U` (+ `b_U`)
/// and the final soft-cap when the model has one (`docs/contributions.md` §4, logit lens).
public struct Unembedding: Sendable {
    public let model: DecoderModel

    public init(model: DecoderModel) { self.model = model }

    /// Logits `[V]` of `vector` (`[d]`); `normalize` applies the final norm to the vector first.
    public func logits(_ vector: [Float], normalize: Bool) -> [Float] {
        precondition(
            vector.count == model.info.dModel, "vector has \(vector.count) elements, d is \(model.info.dModel)")
        var input = vector
        if normalize {
            input.withUnsafeMutableBufferPointer { x in
                model.finalNorm.apply(x.baseAddress!, mean: nil, scale: nil, x.baseAddress!, rows: 1)
            }
        }
        var logits = [Float](repeating: 0, count: model.info.vocabSize)
        input.withUnsafeBufferPointer { x in
            logits.withUnsafeMutableBufferPointer { out in
                model.lmHead.apply(out.baseAddress!, x.baseAddress!, rows: 1)
                if let cap = model.logitSoftcap {
                    softcapForward(out.baseAddress!, out.baseAddress!, cap: cap, count: out.count)
                }
            }
        }
        return logits
    }
}
