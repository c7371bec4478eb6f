import Dispatch
import Synchronization

/// A bounded queue for model work: at most `maxConcurrent` jobs run at once and at most `maxQueued` wait; a job
/// offered beyond that is refused (the API answers 503 with Retry-After). Jobs run on their own threads, never on
/// the HTTP I/O queues; `qos` picks the share of libdispatch's worker pool they draw from (a class other than the
/// HTTP handlers' `.userInitiated` keeps long jobs from holding up request handling).
public final class ComputeQueue: Sendable {
    public let maxConcurrent: Int
    public let maxQueued: Int
    private let queue: DispatchQueue
    private let state = Mutex<State>(State())

    private struct State {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
    }

    public init(
        maxConcurrent: Int, maxQueued: Int, label: String = "glassbox.compute",
        qos: DispatchQoS = .userInitiated
    ) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxQueued = max(0, maxQueued)
        queue = DispatchQueue(label: label, qos: qos, attributes: .concurrent)
    }

    /// Runs `job` now or later; false when the queue is full (the job is dropped).
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let start: Bool? = state.withLock { s in
            if s.running < maxConcurrent {
                s.running += 1
                return true
            }
            guard s.waiting.count < maxQueued else { return nil }
            s.waiting.append(job)
            return false
        }
        guard let start else { return false }
        if start { launch(job) }
        return true
    }

    /// Jobs running and waiting.
    public var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    private func launch(_ job: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            job()
            let next: (@Sendable () -> Void)? = state.withLock { s in
                if s.waiting.isEmpty {
                    s.running -= 1
                    return nil
                }
                return s.waiting.removeFirst()
            }
            if let next { launch(next) }
        }
    }
}
