/// A token bucket: holds up to `capacity` tokens, refilled at `rate` a second; a request takes one. Pure: the time
/// is given (seconds on any monotonic clock).
public struct TokenBucket: Sendable, Equatable {
    public let capacity: Double
    public let rate: Double
    public private(set) var tokens: Double
    public private(set) var updated: Double

    public init(capacity: Int, perMinute: Int, now: Double) {
        self.capacity = Double(capacity)
        rate = Double(perMinute) / 60
        tokens = Double(capacity)
        updated = now
    }

    /// Takes a token if there is one: nil; else the seconds until there will be.
    public mutating func take(now: Double) -> Double? {
        refill(now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return rate > 0 ? (1 - tokens) / rate : .infinity
    }

    /// Whether the bucket is full at `now` (an idle client: its bucket can be forgotten).
    public func isFull(now: Double) -> Bool {
        var copy = self
        copy.refill(now)
        return copy.tokens >= capacity
    }

    private mutating func refill(_ now: Double) {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated) * rate)
            updated = now
        }
    }
}
