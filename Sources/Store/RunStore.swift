import Foundation
import Synchronization

/// The persistent run cache (SQLite, WAL mode, one file): runs, their traces and their analysis results, with a size
/// cap enforced by evicting the least recently used runs.
///
/// Every write is one transaction; with WAL a process killed at any point leaves the database at its last commit,
/// so at most the write in flight is lost. Thread-safe: calls are serialised on one connection.
public final class RunStore: Sendable {
    private let state: Mutex<Connection>
    /// Largest total size of the stored runs, traces and results, in bytes.
    public let maxBytes: Int
    /// The database file.
    public let path: String

    /// The connection and its prepared statements.
    private final class Connection {
        let db: SQLiteConnection
        let insertRun, selectRun, touchRun, insertTrace, selectTrace, insertResult, selectResult, updateBytes,
            totalBytes, oldestRuns, deleteRun, deleteTrace, countRuns: SQLiteStatement

        init(path: String) throws {
            db = try SQLiteConnection(path: path)
            try db.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                    + "PRAGMA busy_timeout = 5000;")
            try StoreSchema.migrate(db)
            insertRun = try db.prepare(
                """
                INSERT INTO runs (id, model, prompt, token_ids, options, summary, created, last_used, bytes)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 0)
                ON CONFLICT(id) DO UPDATE SET summary = excluded.summary, last_used = excluded.last_used
                """)
            selectRun = try db.prepare(
                "SELECT id, model, prompt, token_ids, options, summary, created FROM runs WHERE id = ?1")
            touchRun = try db.prepare("UPDATE runs SET last_used = ?2 WHERE id = ?1")
            insertTrace = try db.prepare("INSERT OR REPLACE INTO traces (run_id, data) VALUES (?1, ?2)")
            selectTrace = try db.prepare("SELECT data FROM traces WHERE run_id = ?1")
            insertResult = try db.prepare(
                "INSERT OR REPLACE INTO results (run_id, analysis, parameters, body) VALUES (?1, ?2, ?3, ?4)")
            selectResult = try db.prepare(
                "SELECT body FROM results WHERE run_id = ?1 AND analysis = ?2 AND parameters = ?3")
            updateBytes = try db.prepare(
                """
                UPDATE runs SET bytes = length(id) + length(model) + length(prompt) + length(token_ids)
                    + length(options) + length(summary)
                    + COALESCE((SELECT length(data) FROM traces WHERE run_id = ?1), 0)
                    + COALESCE((SELECT SUM(length(body) + length(analysis) + length(parameters)) FROM results
                                WHERE run_id = ?1), 0)
                WHERE id = ?1
                """)
            totalBytes = try db.prepare("SELECT COALESCE(SUM(bytes), 0) FROM runs")
            oldestRuns = try db.prepare("SELECT id FROM runs WHERE id != ?1 ORDER BY last_used ASC, id ASC LIMIT 16")
            deleteRun = try db.prepare("DELETE FROM runs WHERE id = ?1")
            deleteTrace = try db.prepare("DELETE FROM traces WHERE run_id = ?1")
            countRuns = try db.prepare("SELECT COUNT(*) FROM runs")
        }

        /// Runs `statement` once with its bindings and resets it.
        func run(_ statement: SQLiteStatement, _ bind: (SQLiteStatement) throws -> Void) throws {
            defer { statement.reset() }
            try bind(statement)
            while try statement.step() {}
        }

        func close() {
            for s in [
                insertRun, selectRun, touchRun, insertTrace, selectTrace, insertResult, selectResult,
                updateBytes, totalBytes, oldestRuns, deleteRun, deleteTrace, countRuns
            ] { s.finalize() }
            db.close()
        }
    }

    /// Opens or creates the cache at `path` (its directory must exist), migrating an older schema.
    public init(path: String, maxBytes: Int) throws {
        guard maxBytes > 0 else { throw StoreError("the cache size limit must be positive, got \(maxBytes)") }
        self.path = path
        self.maxBytes = maxBytes
        state = Mutex(try Connection(path: path))
    }

    private func now() -> Double { Date().timeIntervalSince1970 }

    /// Stores a run (or refreshes the summary and last use of an existing one), then evicts to fit the cap.
    public func save(_ run: StoredRun) throws {
        try state.withLock { c in
            try c.db.transaction {
                try c.run(c.insertRun) { s in
                    try s.bind(1, run.id)
                    try s.bind(2, run.model)
                    try s.bind(3, run.prompt)
                    try s.bind(4, run.tokenBlob)
                    try s.bind(5, run.options)
                    try s.bind(6, run.summary)
                    try s.bind(7, run.created)
                }
                try c.run(c.updateBytes) { try $0.bind(1, run.id) }
                try evict(c, keeping: run.id)
            }
        }
    }

    /// The stored run `id`, marking it used; nil if it is not (or no longer) cached.
    public func run(id: String) throws -> StoredRun? {
        try state.withLock { c in
            let s = c.selectRun
            defer { s.reset() }
            try s.bind(1, id)
            guard try s.step() else { return nil }
            let run = StoredRun(
                id: s.string(0), model: s.string(1), prompt: s.string(2),
                tokenIDs: StoredRun.tokens(from: s.data(3)), options: s.string(4), summary: s.data(5),
                created: s.double(6))
            s.reset()
            try c.run(c.touchRun) {
                try $0.bind(1, id)
                try $0.bind(2, now())
            }
            return run
        }
    }

    /// Stores the trace of a stored run (replacing any), then evicts to fit the cap. A trace larger than the cap is
    /// not kept (it can be recomputed from the run).
    public func saveTrace(runID: String, data: Data) throws {
        try state.withLock { c in
            try c.db.transaction {
                guard data.count < maxBytes else { return }
                try c.run(c.insertTrace) {
                    try $0.bind(1, runID)
                    try $0.bind(2, data)
                }
                try c.run(c.updateBytes) { try $0.bind(1, runID) }
                try evict(c, keeping: runID)
            }
        }
    }

    /// The stored trace of a run, or nil.
    public func trace(runID: String) throws -> Data? {
        try state.withLock { c in
            let s = c.selectTrace
            defer { s.reset() }
            try s.bind(1, runID)
            return try s.step() ? s.data(0) : nil
        }
    }

    /// Stores one analysis result of a stored run (replacing any with the same analysis and parameters).
    public func saveResult(runID: String, analysis: String, parameters: String, body: Data) throws {
        try state.withLock { c in
            try c.db.transaction {
                try c.run(c.insertResult) { s in
                    try s.bind(1, runID)
                    try s.bind(2, analysis)
                    try s.bind(3, parameters)
                    try s.bind(4, body)
                }
                try c.run(c.updateBytes) { try $0.bind(1, runID) }
                try evict(c, keeping: runID)
            }
        }
    }

    /// A stored analysis result, or nil.
    public func result(runID: String, analysis: String, parameters: String) throws -> Data? {
        try state.withLock { c in
            let s = c.selectResult
            defer { s.reset() }
            try s.bind(1, runID)
            try s.bind(2, analysis)
            try s.bind(3, parameters)
            return try s.step() ? s.data(0) : nil
        }
    }

    /// Number of stored results of one analysis of a run (one per distinct parameter set).
    public func resultCount(runID: String, analysis: String) throws -> Int {
        try state.withLock { c in
            let s = try c.db.prepare("SELECT COUNT(*) FROM results WHERE run_id = ?1 AND analysis = ?2")
            defer { s.finalize() }
            try s.bind(1, runID)
            try s.bind(2, analysis)
            return try s.step() ? s.int(0) : 0
        }
    }

    /// Total bytes of everything stored (the quantity the cap limits).
    public func totalBytes() throws -> Int {
        try state.withLock { c in try Self.total(c) }
    }

    /// Number of stored runs.
    public func runCount() throws -> Int {
        try state.withLock { c in
            defer { c.countRuns.reset() }
            return try c.countRuns.step() ? c.countRuns.int(0) : 0
        }
    }

    /// SQLite's own consistency check (`PRAGMA quick_check`): "ok" for a sound database.
    public func check() throws -> String {
        try state.withLock { c in
            let s = try c.db.prepare("PRAGMA quick_check")
            defer { s.finalize() }
            return try s.step() ? s.string(0) : "no result"
        }
    }

    /// Closes the database; later calls fail.
    public func close() {
        state.withLock { $0.close() }
    }

    private static func total(_ c: Connection) throws -> Int {
        defer { c.totalBytes.reset() }
        return try c.totalBytes.step() ? c.totalBytes.int(0) : 0
    }

    /// Deletes least recently used runs (never `keep`) until the total fits; if `keep` alone is over the cap, drops
    /// its trace.
    private func evict(_ c: Connection, keeping keep: String) throws {
        while try Self.total(c) > maxBytes {
            var victims: [String] = []
            try c.oldestRuns.bind(1, keep)
            while try c.oldestRuns.step() { victims.append(c.oldestRuns.string(0)) }
            c.oldestRuns.reset()
            if victims.isEmpty {
                try c.run(c.deleteTrace) { try $0.bind(1, keep) }
                try c.run(c.updateBytes) { try $0.bind(1, keep) }
                return
            }
            for id in victims {
                try c.run(c.deleteRun) { try $0.bind(1, id) }
                if try Self.total(c) <= maxBytes { return }
            }
        }
    }
}
