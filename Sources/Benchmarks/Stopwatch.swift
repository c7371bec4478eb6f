import Dispatch

/// Wall-clock timing with the monotonic clock.
public enum Stopwatch {
    /// Seconds taken by `body`, and its result.
    public static func time<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
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
