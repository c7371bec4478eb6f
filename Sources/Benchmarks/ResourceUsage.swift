import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process resource figures for benchmark reports.
public enum ResourceUsage {
    /// Peak resident set size of this process so far, in bytes (`getrusage`; Linux reports KiB).
    public static var peakResidentBytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    /// Current resident set size in bytes (from `/proc/self/statm`), or nil where unavailable.
    public static var currentResidentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ").compactMap { Int($0) }
        guard fields.count >= 2 else { return nil }
        return fields[1] * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

extension ResourceUsage {
    /// Resets the kernel's resident high-water mark (`VmHWM`) to the current size, so the peak of one stage can be
    /// measured (Linux: writing 5 to `/proc/self/clear_refs`). Returns false where that is not possible.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// The resident high-water mark since the last `resetPeak()` (or the process start), in bytes, or nil where
    /// unavailable (`VmHWM` of `/proc/self/status`).
    public static var peakResidentSinceResetBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = line.split(separator: " ").compactMap({ Int($0) }).first
        else { return nil }
        return kib * 1024
    }
}
