import Foundation
import Store
import Testing
import TestSupport

@Suite("Run cache (SQLite)")
struct RunStoreTests {
    static func run(_ id: String, prompt: String = "The cat sat", summary: String = "{\"ok\":true}") -> StoredRun {
        StoredRun(
            id: id, model: "tiny-gpt2", prompt: prompt, tokenIDs: [640, -1, 70_000, 3], options: "{}",
            summary: Data(summary.utf8), created: 1_700_000_000.5)
    }

    @Test("runs, traces and results round-trip, and survive closing and reopening")
    func roundTrip() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cache.sqlite").path
        let store = try RunStore(path: path, maxBytes: 1 << 30)
        try store.save(Self.run("a"))
        let trace = Data((0..<10_000).map { UInt8($0 % 251) })
        try store.saveTrace(runID: "a", data: trace)
        try store.saveResult(runID: "a", analysis: "graph", parameters: "threshold=0.04", body: Data("[1,2]".utf8))
        try store.saveResult(runID: "a", analysis: "graph", parameters: "threshold=0.05", body: Data("[3]".utf8))
        #expect(try store.run(id: "a") == Self.run("a"))
        #expect(try store.run(id: "missing") == nil)
        #expect(try store.trace(runID: "a") == trace)
        #expect(try store.result(runID: "a", analysis: "graph", parameters: "threshold=0.04") == Data("[1,2]".utf8))
        #expect(try store.result(runID: "a", analysis: "lens", parameters: "threshold=0.04") == nil)
        let bytes = try store.totalBytes()
        #expect(bytes > trace.count && bytes < trace.count + 200)
        store.close()

        let reopened = try RunStore(path: path, maxBytes: 1 << 30)
        #expect(try reopened.run(id: "a")?.tokenIDs == [640, -1, 70_000, 3])
        #expect(try reopened.trace(runID: "a") == trace)
        #expect(try reopened.result(runID: "a", analysis: "graph", parameters: "threshold=0.05") == Data("[3]".utf8))
        #expect(try reopened.check() == "ok")
    }

    @Test("the size cap evicts the least recently used runs with their traces and results")
    func eviction() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cache.sqlite").path
        let store = try RunStore(path: path, maxBytes: 25_000)
        for id in ["a", "b", "c"] {
            try store.save(Self.run(id))
            try store.saveTrace(runID: id, data: Data(count: 10_000))
            Thread.sleep(forTimeInterval: 0.01) // distinct last-use times
        }
        // a was used least recently: three 10 kB traces exceed 25 kB, so a went.
        #expect(try store.run(id: "a") == nil)
        #expect(try store.runCount() == 2)
        _ = try store.run(id: "b") // b is now more recent than c
        Thread.sleep(forTimeInterval: 0.01)
        try store.save(Self.run("d"))
        try store.saveTrace(runID: "d", data: Data(count: 10_000))
        #expect(try store.run(id: "c") == nil)
        #expect(try store.run(id: "b") != nil)
        #expect(try store.totalBytes() <= 25_000)
        // A trace bigger than the whole cap is not kept; its run is.
        try store.saveTrace(runID: "b", data: Data(count: 30_000))
        #expect(try store.trace(runID: "b")?.count == 10_000)
    }

    @Test("a database from a newer Glassbox, a bad cap and an unwritable path are clear errors")
    func errors() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("cache.sqlite").path
        try RunStore(path: path, maxBytes: 1000).close()
        // Pretend a newer schema wrote the file.
        let bump = Process()
        bump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        bump.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()", path
        ]
        try bump.run()
        bump.waitUntilExit()
        #expect(bump.terminationStatus == 0)
        #expect { try RunStore(path: path, maxBytes: 1000) } throws: {
            ($0 as? StoreError)?.message.contains("newer") == true
        }
        #expect(throws: StoreError.self) {
            try RunStore(path: directory.appendingPathComponent("x.sqlite").path, maxBytes: 0)
        }
        #expect(throws: StoreError.self) { try RunStore(path: "/proc/no/such/dir/cache.sqlite", maxBytes: 1000) }
    }

    @Test("concurrent writers and readers from many threads")
    func concurrency() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cache.sqlite").path
        let store = try RunStore(path: path, maxBytes: 1 << 30)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<50 {
                let id = "w\(worker)-\(i)"
                try? store.save(Self.run(id, prompt: id))
                try? store.saveResult(runID: id, analysis: "lens", parameters: "", body: Data(id.utf8))
                _ = try? store.run(id: "w\((worker + 1) % 8)-\(i)")
            }
        }
        #expect(try store.runCount() == 400)
        for worker in 0..<8 {
            #expect(
                try store.result(runID: "w\(worker)-49", analysis: "lens", parameters: "") == Data("w\(worker)-49".utf8)
            )
        }
        #expect(try store.check() == "ok")
    }
}
