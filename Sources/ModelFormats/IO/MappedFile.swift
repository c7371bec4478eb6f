import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory.
///
/// The mapping lives as long as this object; the bytes never change after `init`, so sharing it between threads is
/// safe (hence `@unchecked Sendable`).
public final class MappedFile: @unchecked Sendable {
    /// Path the file was opened from.
    public let path: String
    /// Size of the file in bytes.
    public let count: Int
    /// Start of the mapping (nil for an empty file).
    public let bytes: UnsafeRawPointer?

    /// Maps `path`; throws a `ModelFormatError` when it cannot be opened or mapped.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ModelFormatError(path: path, "cannot open file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelFormatError(path: path, "cannot stat file: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelFormatError(path: path, "not a regular file")
        }
        count = Int(info.st_size)
        if count == 0 {
            bytes = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw ModelFormatError(path: path, "cannot map file: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawPointer(mapped)
    }

    deinit {
        if let bytes { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
    }

    /// The bytes in `range` as a buffer (the range must lie inside the file).
    public func buffer(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the mapped file")
        guard let bytes else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes + range.lowerBound, count: range.count)
    }

    /// Tells the kernel the bytes in `range` are not needed for now, so their pages leave the resident set (they are
    /// read from the file again if touched). Called after a tensor has been copied out, so that loading a model does
    /// not hold the file and its converted copy in memory at once. Only whole pages inside `range` are released.
    public func release(_ range: Range<Int>) {
        guard let bytes, range.lowerBound >= 0, range.upperBound <= count else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes + start), end - start, MADV_DONTNEED)
    }

    /// Little-endian unsigned integer of `T`'s width at `offset` (must lie inside the file).
    public func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= count, "read outside the mapped file")
        return T(littleEndian: bytes!.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
