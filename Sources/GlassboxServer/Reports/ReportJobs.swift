import Foundation
import Reports
import Synchronization

/// Report jobs: each measures a prompt set on the compute queue, with progress that can be polled and a cancel
/// switch checked between forward passes. Kept in memory (the last `capacity` jobs); a restart forgets them.
public final class ReportJobs: Sendable {
    public enum Status: String, Sendable {
        case queued, running, done, failed, cancelled
    }

    /// What a poll sees of a job.
    public struct Snapshot: Sendable {
        public let id: String
        public let model: String
        public let prompts: Int
        public let status: Status
        public let done: Int
        public let total: Int
        /// 0-based index of the prompt being measured.
        public let prompt: Int
        public let error: String?
        public let json: Data?
        public let html: String?
    }

    private final class Slot: Sendable {
        let cancel = Atomic<Bool>(false)
    }

    private let jobs = Mutex<[String: (snapshot: Snapshot, slot: Slot, created: Date)]>([:])
    public let capacity: Int

    public init(capacity: Int = 32) { self.capacity = capacity }

    /// Starts a job on `compute`; nil when `maxLive` jobs are already queued or running (cancelled ones do not count)
    /// or the queue is full. `work(shouldContinue, progress)` builds the report.
    public func start(
        model: String, prompts: Int, total: Int, compute: ComputeQueue, maxLive: Int = .max,
        work:
            @escaping @Sendable (
                _ shouldContinue: @escaping @Sendable () -> Bool,
                _ progress: @escaping @Sendable (Int, Int) -> Void
            ) throws -> Report
    )
        -> Snapshot?
    {
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let id = "r" + bytes.map { String(format: "%02x", $0) }.joined()
        let slot = Slot()
        let initial = Snapshot(
            id: id, model: model, prompts: prompts, status: .queued, done: 0, total: total, prompt: 0,
            error: nil, json: nil, html: nil)
        let admitted = jobs.withLock { jobs in
            guard jobs.values.filter({ [.queued, .running].contains($0.snapshot.status) }).count < maxLive else {
                return false
            }
            jobs[id] = (initial, slot, Date())
            // Forget the oldest finished jobs beyond the capacity.
            let finished = jobs.filter { ![.queued, .running].contains($0.value.snapshot.status) }
                .sorted { $0.value.created < $1.value.created }
            for (key, _) in finished.prefix(max(0, jobs.count - capacity)) { jobs[key] = nil }
            return true
        }
        guard admitted else { return nil }
        let accepted = compute.submit { [self] in
            guard !slot.cancel.load(ordering: .relaxed) else { return }
            update(id) { $0.with(status: .running) }
            do {
                let report = try work({ !slot.cancel.load(ordering: .relaxed) }) { done, prompt in
                    self.update(id) { $0.with(done: done, prompt: prompt) }
                }
                let json = ReportJSON.data(report), html = ReportHTML.page(report)
                update(id) { $0.with(status: .done, done: $0.total, json: json, html: html) }
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

    public func snapshot(_ id: String) -> Snapshot? { jobs.withLock { $0[id]?.snapshot } }

    /// Asks a job to stop; a queued job never starts. Returns the snapshot, nil for an unknown id.
    public func cancel(_ id: String) -> Snapshot? {
        jobs.withLock { jobs in
            guard let job = jobs[id] else { return nil }
            job.slot.cancel.store(true, ordering: .relaxed)
            if job.snapshot.status == .queued || job.snapshot.status == .running {
                jobs[id]!.snapshot = job.snapshot.with(status: .cancelled)
            }
            return jobs[id]!.snapshot
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

extension ReportJobs.Snapshot {
    func with(
        status: ReportJobs.Status? = nil, done: Int? = nil, prompt: Int? = nil, error: String? = nil,
        json: Data? = nil, html: String? = nil
    ) -> Self {
        Self(
            id: id, model: model, prompts: prompts, status: status ?? self.status, done: done ?? self.done,
            total: total, prompt: prompt ?? self.prompt, error: error ?? self.error, json: json ?? self.json,
            html: html ?? self.html)
    }
}
