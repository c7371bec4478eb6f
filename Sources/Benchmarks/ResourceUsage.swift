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
