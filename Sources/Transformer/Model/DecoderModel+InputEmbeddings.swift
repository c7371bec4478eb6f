import Tensors

extension DecoderModel {
    /// The input embeddings `e_t` of `tokens` (`[n, d]`): the token's row of the embedding table, times the
    /// embedding scale where the model has one (Gemma: √d). GPT-2's position embeddings are not part of them.
    /// Token ids must be inside the vocabulary.
    public func inputEmbeddings(tokens: [Int]) -> [Float] {
        var rows = [Float](repeating: 0, count: tokens.count * info.dModel)
        rows.withUnsafeMutableBufferPointer { writeInputEmbeddings(tokens: tokens, into: $0.baseAddress!) }
        return rows
    }

    /// Writes the input embeddings of `tokens` into `out` (`[n, d]`).
    func writeInputEmbeddings(tokens: [Int], into out: UnsafeMutablePointer<Float>) {
        let d = info.dModel
        for (t, id) in tokens.enumerated() {
            precondition(id >= 0 && id < info.vocabSize, "token id \(id) outside the vocabulary")
            let row = out + t * d
            tokenEmbedding.decodeRows(id..<(id + 1), into: row)
            if let scale = embeddingScale { scaleForward(row, row, factor: scale, count: d) }
        }
    }
}
