/// The BPE model of SentencePiece-style tokenizer.json files (Llama 2, Mistral, Gemma): turns one pre-token into
/// token ids as HF `tokenizers` does with `byte_fallback`.
///
/// Each character (Unicode scalar) of the pre-token starts as its own token. A character that is not in the
/// vocabulary becomes its UTF-8 bytes as `<0xXX>` tokens when `byte_fallback` is on and all of them exist, else the
/// unknown token (adjacent unknowns fused into one with `fuse_unk`), else it is dropped. `BPEMergeTable` then
/// merges the symbols.
struct SentencePieceBPEModel: PreTokenEncoder {
    private let mergeTable: BPEMergeTable
    /// Token ids by the UTF-8 of their strings.
    private let pieceIDs: [ByteString: Int32]
    /// The ids of `<0x00>` … `<0xFF>` by byte value (-1 where missing), or nil without byte fallback.
    private let byteTokenIDs: [Int32]?
    private let unknownID: Int32?
    private let fusesUnknown: Bool
    /// Whether a whole pre-token found in the vocabulary is emitted as is (`ignore_merges`).
    private let ignoresMerges: Bool

    /// - Parameters:
    ///   - pieceIDs: token ids by the UTF-8 of their strings.
    ///   - mergePairs: the merges in rank order, as ids.
    init(
        pieceIDs: [ByteString: Int], mergePairs: [(left: Int, right: Int, result: Int)], byteFallback: Bool,
        unknownID: Int?, fusesUnknown: Bool, ignoresMerges: Bool
    ) {
        mergeTable = BPEMergeTable(mergePairs: mergePairs)
        self.pieceIDs = pieceIDs.mapValues { Int32($0) }
        if byteFallback {
            byteTokenIDs = (0..<256).map { byte in
                pieceIDs[ByteString(Array(ByteToken.name(of: UInt8(byte)).utf8))].map { Int32($0) } ?? -1
            }
        } else {
            byteTokenIDs = nil
        }
        self.unknownID = unknownID.map { Int32($0) }
        self.fusesUnknown = fusesUnknown
        self.ignoresMerges = ignoresMerges
    }

    /// Appends the token ids of one pre-token (its UTF-8 bytes) to `output`.
    func encode(_ bytes: ArraySlice<UInt8>, into output: inout [Int], workspace: inout BPEMergeTable.Workspace) {
        if ignoresMerges, let id = pieceIDs[ByteString(bytes)] {
            output.append(Int(id))
            return
        }
        workspace.ids.removeAll(keepingCapacity: true)
        var lastWasUnknown = false
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = min(start + UTF8Bytes.sequenceLength(lead: bytes[start]), bytes.endIndex)
            let character = bytes[start..<end]
            start = end
            if let id = pieceIDs[ByteString(character)] {
                workspace.ids.append(id)
                lastWasUnknown = false
            } else if let byteTokenIDs, character.allSatisfy({ byteTokenIDs[Int($0)] >= 0 }) {
                for byte in character { workspace.ids.append(byteTokenIDs[Int(byte)]) }
                lastWasUnknown = false
            } else if let unknownID {
                if !(fusesUnknown && lastWasUnknown) { workspace.ids.append(unknownID) }
                lastWasUnknown = true
            }
        }
        mergeTable.mergeAndAppend(&workspace, to: &output)
    }
}
