import Dispatch

/// Splits a loop over `0..<count` into one contiguous chunk per worker and runs the chunks at once.
///
/// The split depends only on `count` and `workers`, so a run is deterministic for a given worker count. With one
/// worker the body runs inline. Meant to be used with OpenBLAS at one thread (`BLASThreads.set(1)`): BLAS calls from
/// several workers at once are safe, while nesting BLAS threads inside workers would oversubscribe the cores. (A
/// GEMM split into column blocks may differ from the whole call in the last bits.)
public struct WorkerPool: Sendable, Equatable {
    /// Number of chunks run at once (at least 1).
    public let workers: Int

    /// Most workers a pool runs: far above any core count worth using, low enough that a mistyped thread count
    /// cannot stall the process with millions of tiny chunks.
    public static let maximumWorkers = 256

    public init(workers: Int) {
        self.workers = min(max(1, workers), Self.maximumWorkers)
    }

    /// A pool that runs everything inline.
    public static let serial = WorkerPool(workers: 1)

    /// The chunk of `0..<count` that worker `index` handles, with chunk starts rounded to multiples of `alignment`.
    public func chunk(_ index: Int, of count: Int, alignment: Int = 1) -> Range<Int> {
        let units = (count + alignment - 1) / alignment
        let start = min(count, (units * index / workers) * alignment)
        let end = index == workers - 1 ? count : min(count, (units * (index + 1) / workers) * alignment)
        return start..<end
    }

    /// Runs `body` on each non-empty chunk of `0..<count`, concurrently, and returns when all are done.
    public func forEachChunk(of count: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        forEachIndexedChunk(of: count, alignment: alignment) { _, range in body(range) }
    }

    /// `forEachChunk` that also passes the chunk's worker index (below `workers`), for per-worker scratch space.
    public func forEachIndexedChunk(
        of count: Int, alignment: Int = 1, _ body: @Sendable (_ worker: Int, Range<Int>) -> Void
    ) {
        if workers == 1 || count <= alignment {
            if count > 0 { body(0, 0..<count) }
            return
        }
        let units = (count + alignment - 1) / alignment
        let pool = WorkerPool(workers: min(workers, units))
        DispatchQueue.concurrentPerform(iterations: pool.workers) { index in
            let range = pool.chunk(index, of: count, alignment: alignment)
            if !range.isEmpty { body(index, range) }
        }
    }
}

/// A pointer handed to workers that write disjoint parts of the memory behind it (and read only what no worker
/// writes during the same loop). That discipline, not the type system, makes sharing it safe.
public struct DisjointPointer: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>

    public init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// A read-only pointer handed to workers.
public struct SharedReadPointer: @unchecked Sendable {
    public let base: UnsafePointer<Float>

    public init(_ base: UnsafePointer<Float>) { self.base = base }
}
