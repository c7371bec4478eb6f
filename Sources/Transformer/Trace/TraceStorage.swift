#if canImport(Glibc)
import Glibc
#endif

/// Allocation of a Trace's single storage block.
enum TraceStorage {
    /// A float array of `count` elements whose contents are left for the forward pass to write (every field of
    /// `TraceLayout` is written by the pass), or filled with `fill` when given (tests use NaN to catch a field the
    /// pass forgets). Large blocks are advised to use transparent huge pages: a 512-token GPT-2-small trace is
    /// 400 MB, and 4 KiB first-touch page faults plus a zero fill were 15% of the pass.
    static func allocate(count: Int, fill: Float?) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            if let fill, let base = buffer.baseAddress { base.initialize(repeating: fill, count: count) }
            initialized = count
        }
    }

    private static let hugePage = 2 << 20

    private static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = buffer.baseAddress, buffer.count >= 2 * hugePage else { return }
        let start = (Int(bitPattern: base) + hugePage - 1) / hugePage * hugePage
        let end = (Int(bitPattern: base) + buffer.count) / hugePage * hugePage
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE) // advice only: failure changes nothing but speed
        #endif
    }
}
