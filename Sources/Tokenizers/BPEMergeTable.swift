/// The merges of a BPE model and the merge loop, shared by the byte-level and the SentencePiece-style models.
///
/// Merging follows HF `tokenizers` exactly: the adjacent pair with the lowest merge rank is merged first, the
/// leftmost among equal ranks, until no adjacent pair has a merge.
struct BPEMergeTable: Sendable {
    /// The result of merging one pair.
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    /// Merges keyed by `left << 32 | right` token ids.
    private let merges: [UInt64: Merge]

    /// Builds the table from the merges in rank order, as ids (`left` + `right` → `result`).
    init(mergePairs: [(left: Int, right: Int, result: Int)]) {
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, pair) in mergePairs.enumerated() {
            // Like HF, a repeated pair keeps the rank of its last occurrence.
            table[Self.key(Int32(pair.left), Int32(pair.right))] = Merge(rank: Int32(rank), result: Int32(pair.result))
        }
        self.merges = table
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Reusable buffers for merging, so encoding many pre-tokens allocates little. The caller puts the initial
    /// symbols of a pre-token in `ids`.
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

    /// Merges the symbols in `workspace.ids` and appends the ids that remain to `output`.
    func mergeAndAppend(_ workspace: inout Workspace, to output: inout [Int]) {
        let count = workspace.ids.count
        guard count > 1 else {
            if count == 1 { output.append(Int(workspace.ids[0])) }
            return
        }
        mergeAll(&workspace)
        var i: Int32 = 0
        while i >= 0 {
            output.append(Int(workspace.ids[Int(i)]))
            i = workspace.next[Int(i)]
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
    var storage: [BPEMergeTable.HeapEntry]

    mutating func push(_ entry: BPEMergeTable.HeapEntry) {
        storage.append(entry)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child].order < storage[parent].order else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> BPEMergeTable.HeapEntry? {
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
