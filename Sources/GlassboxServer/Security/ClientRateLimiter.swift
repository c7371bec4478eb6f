import Foundation
import Synchronization

/// One token bucket per client (a token's name, or a peer address) for the compute-heavy requests; counts the
/// requests it refused.
public final class ClientRateLimiter: Sendable {
    public let perMinute: Int
    public let burst: Int
    /// Buckets kept; past it the full (idle) ones are forgotten, then the oldest.
    public let capacity: Int
    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var refused = 0
    }
    private let state = Mutex(State())

    /// `perMinute` 0: no limit.
    public init(perMinute: Int, burst: Int, capacity: Int = 4096) {
        self.perMinute = perMinute
        self.burst = burst
        self.capacity = capacity
    }

    /// Takes one request of `client` at `now` (seconds, monotonic): nil when it may go on, else the seconds to
    /// wait before asking again (whole, at least 1, as `Retry-After` wants).
    public func admit(_ client: String, now: Double = ClientRateLimiter.uptime()) -> Int? {
        guard perMinute > 0 else { return nil }
        return state.withLock { state in
            if state.buckets[client] == nil && state.buckets.count >= capacity {
                state.buckets = state.buckets.filter { !$0.value.isFull(now: now) }
                if state.buckets.count >= capacity,
                    let oldest = state.buckets.min(by: { $0.value.updated < $1.value.updated })
                {
                    state.buckets[oldest.key] = nil
                }
            }
            var bucket = state.buckets[client] ?? TokenBucket(capacity: burst, perMinute: perMinute, now: now)
            let wait = bucket.take(now: now)
            state.buckets[client] = bucket
            guard let wait else { return nil }
            state.refused += 1
            return max(1, Int(wait.rounded(.up)))
        }
    }

    /// Requests refused so far.
    public var refused: Int { state.withLock { $0.refused } }

    /// Seconds since boot (CLOCK_MONOTONIC).
    public static func uptime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
