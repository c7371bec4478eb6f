/// The byte-level BPE model: turns the bytes of one pre-token into token ids.
///
/// Works on raw bytes: vocabulary strings are mapped back through `ByteEncoder`, so the byte-level
/// alphabet string of a pre-token is never built. Merging follows HF `tokenizers` exactly: the
/// adjacent pair with the lowest merge rank is merged first, the leftmost among equal ranks.
struct BPEMerger: Sendable {
    /// The result of merging one pair.
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    /// The id of the single-byte token for each byte value, -1 if that token is not in the vocabulary.
    private let byteTokenIDs: [Int32]
    /// Merges keyed by `left << 32 | right` token ids.
    private let merges: [UInt64: Merge]
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
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, pair) in mergePairs.enumerated() {
            // Like HF, a repeated pair keeps the rank of its last occurrence.
            table[Self.key(Int32(pair.left), Int32(pair.right))] = Merge(rank: Int32(rank), result: Int32(pair.result))
        }
        self.merges = table
        self.wholeWordIDs = ignoreMerges ? tokenIDsByBytes.mapValues { Int32($0) } : nil
        self.unknownID = unknownID.map { Int32($0) }
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Reusable buffers for `encode`, so encoding many pre-tokens allocates little.
    struct Workspace {
        var ids: [Int32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var heap: [HeapEntry] = []
    }

    /// A pending merge in the priority queue, ordered by (rank, position).
    struct HeapEntry {
        let order: UInt64 // rank << 32 | position
        let result: Int32
    }

    /// Appends the token ids of one pre-token's bytes to `output`.
    func encode(_ bytes: ArraySlice<UInt8>, into output: inout [Int], workspace: inout Workspace) {
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
        let count = workspace.ids.count
        if count > 1 {
            mergeAll(&workspace)
        }
        var i: Int32 = count > 0 ? 0 : -1
        while i >= 0 {
            output.append(Int(workspace.ids[Int(i)]))
            i = count > 1 ? workspace.next[Int(i)] : -1
        }
    }

    /// Applies merges to the symbols in `workspace.ids` until no adjacent pair has a merge.
    /// Surviving symbols are linked through `workspace.next`, starting at index 0.
    private func mergeAll(_ workspace: inout Workspace) {
        let count = workspace.ids.count
        workspace.previous.removeAll(keepingCapacity: true)
        workspace.next.removeAll(keepingCapacity: true)
        workspace.heap.removeAll(keepingCapacity: true)
        for i in 0..<count {
            workspace.previous.append(Int32(i - 1))
            workspace.next.append(i + 1 < count ? Int32(i + 1) : -1)
        }
        var heap = MergeHeap(storage: workspace.heap)
        for i in 0..<(count - 1) {
            if let merge = merges[Self.key(workspace.ids[i], workspace.ids[i + 1])] {
                heap.push(HeapEntry(order: UInt64(merge.rank) << 32 | UInt64(i), result: merge.result))
            }
        }
        // A symbol whose id is -1 has been merged into its left neighbour.
        while let top = heap.pop() {
            let position = Int(top.order & 0xFFFF_FFFF)
            let left = workspace.ids[position]
            let rightPosition = workspace.next[position]
            guard left >= 0, rightPosition >= 0 else { continue }
            let right = workspace.ids[Int(rightPosition)]
            guard let merge = merges[Self.key(left, right)], merge.result == top.result else { continue }
            workspace.ids[position] = merge.result
            workspace.ids[Int(rightPosition)] = -1
            let after = workspace.next[Int(rightPosition)]
            workspace.next[position] = after
            if after >= 0 { workspace.previous[Int(after)] = Int32(position) }
            let before = workspace.previous[position]
            if before >= 0, let merge = merges[Self.key(workspace.ids[Int(before)], merge.result)] {
                heap.push(HeapEntry(order: UInt64(merge.rank) << 32 | UInt64(before), result: merge.result))
            }
            if after >= 0, let merge = merges[Self.key(workspace.ids[position], workspace.ids[Int(after)])] {
                heap.push(HeapEntry(order: UInt64(merge.rank) << 32 | UInt64(position), result: merge.result))
            }
        }
        workspace.heap = heap.storage
    }
}

/// A binary min-heap of pending merges.
struct MergeHeap {
    var storage: [BPEMerger.HeapEntry]

    mutating func push(_ entry: BPEMerger.HeapEntry) {
        storage.append(entry)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child].order < storage[parent].order else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> BPEMerger.HeapEntry? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let top = storage[0]
        storage[0] = last
        var parent = 0
        let count = storage.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            let smaller = right < count && storage[right].order < storage[left].order ? right : left
            guard storage[smaller].order < storage[parent].order else { break }
            storage.swapAt(smaller, parent)
            parent = smaller
        }
        return top
    }
}
