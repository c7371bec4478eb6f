import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing with the monotonic clock.
public enum Stopwatch {
    /// Seconds taken by `body`, and its result.
    public static func time<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
    }

    /// CPU seconds the calling thread spent in `body` (Linux; wall-clock elsewhere): unlike wall time, other
    /// processes on a shared machine do not inflate it.
    public static func threadCPUTime(_ body: () throws -> Void) rethrows -> Double {
        try cpuTime(thread: true, body)
    }

    /// CPU seconds all the process's threads spent while `body` ran (Linux; wall-clock elsewhere).
    public static func processCPUTime(_ body: () throws -> Void) rethrows -> Double {
        try cpuTime(thread: false, body)
    }

    private static func cpuTime(thread: Bool, _ body: () throws -> Void) rethrows -> Double {
        #if canImport(Glibc)
        let clock = thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID
        var start = timespec(), end = timespec()
        clock_gettime(clock, &start)
        try body()
        clock_gettime(clock, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        #else
        return try time(body).seconds
        #endif
    }
}

/// Median and minimum of a set of timings.
public struct TimingSummary: Sendable, Codable, Equatable {
    public let median: Double
    public let minimum: Double
    public let samples: Int

    public init(_ seconds: [Double]) {
        precondition(!seconds.isEmpty, "no timings")
        let sorted = seconds.sorted()
        median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        minimum = sorted[0]
        samples = sorted.count
    }
}
