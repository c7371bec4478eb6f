/// The byte-level BPE model: turns the bytes of one pre-token into token ids.
///
/// Works on raw bytes: vocabulary strings are mapped back through `ByteEncoder`, so the byte-level
/// alphabet string of a pre-token is never built. Each byte starts as its single-byte token; `BPEMergeTable`
/// then merges them as HF `tokenizers` does.
struct BPEMerger: PreTokenEncoder {
    /// The id of the single-byte token for each byte value, -1 if that token is not in the vocabulary.
    private let byteTokenIDs: [Int32]
    private let mergeTable: BPEMergeTable
    /// Token ids by their bytes, for `ignore_merges` (a whole pre-token in the vocabulary is emitted as is).
    private let wholeWordIDs: [ByteString: Int32]?
    /// The id emitted for a byte whose single-byte token is missing, or nil to drop such bytes
    /// (as HF does without `unk_token`).
    private let unknownID: Int32?

    /// Builds the model from the vocabulary (token bytes → id) and the merges in rank order (as pairs of ids).
    init(
        tokenIDsByBytes: [ByteString: Int], mergePairs: [(left: Int, right: Int, result: Int)],
        ignoreMerges: Bool, unknownID: Int?
    ) {
        var byteIDs = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            if let id = tokenIDsByBytes[ByteString([UInt8(byte)])] { byteIDs[byte] = Int32(id) }
        }
        self.byteTokenIDs = byteIDs
        self.mergeTable = BPEMergeTable(mergePairs: mergePairs)
        self.wholeWordIDs = ignoreMerges ? tokenIDsByBytes.mapValues { Int32($0) } : nil
        self.unknownID = unknownID.map { Int32($0) }
    }

    /// Appends the token ids of one pre-token's bytes to `output`.
    func encode(_ bytes: ArraySlice<UInt8>, into output: inout [Int], workspace: inout BPEMergeTable.Workspace) {
        if let wholeWordIDs, let id = wholeWordIDs[ByteString(bytes)] {
            output.append(Int(id))
            return
        }
        workspace.ids.removeAll(keepingCapacity: true)
        for byte in bytes {
            let id = byteTokenIDs[Int(byte)]
            if id >= 0 {
                workspace.ids.append(id)
            } else if let unknownID {
                workspace.ids.append(unknownID)
            }
        }
        mergeTable.mergeAndAppend(&workspace, to: &output)
    }
}
