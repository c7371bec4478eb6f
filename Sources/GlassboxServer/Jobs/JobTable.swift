import Foundation
import Synchronization

/// Where a job is in its life.
public enum JobStatus: String, Sendable {
    case queued, running, done, failed, cancelled

    /// Queued or running.
    public var isLive: Bool { self == .queued || self == .running }
}

/// Long work on a compute queue whose progress is polled and which can be cancelled between its steps (report jobs,
/// long attributions). Kept in memory (the last `capacity` finished jobs); a restart forgets them. `Detail` is what
/// a poll shows besides the progress; `Output` the finished result.
public final class JobTable<Detail: Sendable, Output: Sendable>: Sendable {
    /// What a poll sees of a job.
    public struct Snapshot: Sendable {
        public let id: String
        public let status: JobStatus
        public let done: Int
        public let total: Int
        public let detail: Detail
        public let error: String?
        public let output: Output?

        func with(
            status: JobStatus? = nil, done: Int? = nil, detail: Detail? = nil, error: String? = nil,
            output: Output? = nil
        ) -> Self {
            Self(
                id: id, status: status ?? self.status, done: done ?? self.done, total: total,
                detail: detail ?? self.detail, error: error ?? self.error, output: output ?? self.output)
        }
    }

    /// What the work is given: whether to go on (false once cancelled) and where to report progress.
    public typealias Work =
        @Sendable (
            _ shouldContinue: @escaping @Sendable () -> Bool,
            _ progress: @escaping @Sendable (_ done: Int, _ detail: Detail?) -> Void
        ) throws -> Output

    private final class Slot: Sendable {
        let cancel = Atomic<Bool>(false)
    }

    private let jobs = Mutex<[String: (snapshot: Snapshot, slot: Slot, created: Date)]>([:])
    /// Job ids start with it (`r` reports, `a` attributions); then come 64 hex digits of routing key (an
    /// attribution job's run id; a report's own) and 16 random ones, so a proxy routing by id (README "Several
    /// instances") sends a job's polls to the instance that runs it.
    public let prefix: String
    public let capacity: Int

    public init(prefix: String, capacity: Int = 32) {
        self.prefix = prefix
        self.capacity = capacity
    }

    /// Starts `work` on `compute` as the job `id` (default: a new one, `newID()`); nil when `maxLive` jobs are
    /// already queued or running (cancelled ones do not count), the queue is full or the id is taken.
    public func start(
        id: String? = nil, detail: Detail, total: Int, compute: ComputeQueue, maxLive: Int = .max,
        work: @escaping Work
    ) -> Snapshot? {
        let slot = Slot()
        let initial = Snapshot(
            id: id ?? newID(), status: .queued, done: 0, total: total, detail: detail, error: nil, output: nil)
        guard admit(initial, slot, maxLive: maxLive) else { return nil }
        let id = initial.id
        let accepted = compute.submit { [self] in
            guard !slot.cancel.load(ordering: .relaxed) else { return }
            update(id) { $0.with(status: .running) }
            do {
                let output = try work({ !slot.cancel.load(ordering: .relaxed) }) { done, detail in
                    self.update(id) { $0.with(done: done, detail: detail) }
                }
                update(id) { $0.with(status: .done, done: $0.total, output: output) }
            } catch {
                let cancelled = slot.cancel.load(ordering: .relaxed)
                update(id) { $0.with(status: cancelled ? .cancelled : .failed, error: cancelled ? nil : "\(error)") }
            }
        }
        guard accepted else {
            jobs.withLock { $0[id] = nil }
            return nil
        }
        return initial
    }

    /// A job that is done already (its result was cached): polls see it like any other.
    public func finished(id: String? = nil, detail: Detail, total: Int, output: Output) -> Snapshot {
        let snapshot = Snapshot(
            id: id ?? newID(), status: .done, done: total, total: total, detail: detail, error: nil, output: output)
        _ = admit(snapshot, Slot(), maxLive: .max)
        return snapshot
    }

    public func snapshot(_ id: String) -> Snapshot? { jobs.withLock { $0[id]?.snapshot } }

    /// Asks a job to stop; a queued job never starts. Returns the snapshot, nil for an unknown id.
    public func cancel(_ id: String) -> Snapshot? {
        jobs.withLock { jobs in
            guard let job = jobs[id] else { return nil }
            job.slot.cancel.store(true, ordering: .relaxed)
            if job.snapshot.status.isLive {
                jobs[id]!.snapshot = job.snapshot.with(status: .cancelled)
            }
            return jobs[id]!.snapshot
        }
    }

    /// Whether `id` names a job here.
    public func contains(_ id: String) -> Bool { jobs.withLock { $0[id] != nil } }

    /// A new job id: the prefix, `key` (64 lowercase hex digits; default random) and 16 random hex digits.
    public func newID(key: String? = nil) -> String {
        prefix + (key ?? Self.randomHex(32)) + Self.randomHex(8)
    }

    /// Whether `id` has the form of this table's ids.
    public func isWellFormed(_ id: String) -> Bool {
        id.hasPrefix(prefix) && id.count == prefix.count + 80
            && id.dropFirst(prefix.count).allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    private static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Adds the job unless `maxLive` are live; forgets the oldest finished jobs beyond the capacity.
    private func admit(_ snapshot: Snapshot, _ slot: Slot, maxLive: Int) -> Bool {
        jobs.withLock { jobs in
            guard jobs[snapshot.id] == nil else { return false }
            guard jobs.values.filter({ $0.snapshot.status.isLive }).count < maxLive else { return false }
            jobs[snapshot.id] = (snapshot, slot, Date())
            let finished = jobs.filter { !$0.value.snapshot.status.isLive }.sorted {
                $0.value.created < $1.value.created
            }
            for (key, _) in finished.prefix(max(0, jobs.count - capacity)) { jobs[key] = nil }
            return true
        }
    }

    private func update(_ id: String, _ change: (Snapshot) -> Snapshot) {
        jobs.withLock { jobs in
            guard let job = jobs[id] else { return }
            // A cancelled job stays cancelled whatever its worker reports afterwards.
            if job.snapshot.status == .cancelled { return }
            jobs[id]!.snapshot = change(job.snapshot)
        }
    }
}
