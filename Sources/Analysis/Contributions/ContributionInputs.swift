import Transformer

/// Checks shared by every analysis that reads a model and a trace together.
enum ContributionInputs {
    /// Throws unless `trace` was recorded by a model of `model`'s shape.
    static func check(model: DecoderModel, trace: Trace) throws {
        let s = trace.shape, i = model.info
        guard s.layers == i.layers, s.dModel == i.dModel, s.heads == i.heads, s.kvHeads == i.kvHeads,
            s.headDim == i.headDim, s.ffnDim == i.ffnDim, s.vocabSize == i.vocabSize
        else {
            throw AnalysisError(
                "the trace was recorded by a different model (\(s.layers) layers, d \(s.dModel), "
                    + "\(s.heads) heads) than the one given (\(i.layers) layers, d \(i.dModel), "
                    + "\(i.heads) heads)")
        }
    }

    /// Row `t` (`[d]`) of an `[n, d]` field block.
    static func row(_ block: ArraySlice<Float>, _ t: Int, width d: Int) -> ArraySlice<Float> {
        block[(block.startIndex + t * d)..<(block.startIndex + (t + 1) * d)]
    }
}
