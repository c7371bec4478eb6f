import Foundation
import Testing
import TestSupport

@Suite("glassbox bench forward")
struct BenchCommandTests {
    @Test("a small run reports one row per (threads, tokens) cell as JSON")
    func smallRun() throws {
        let result = try CLIProcess.run([
            "bench", "forward", "--model", Fixtures.model("tiny-llama").path,
            "--tokens", "4,9", "--threads", "1", "--repeats", "2", "--json"
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let rows = json?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 2)
        #expect(rows.map { $0["tokens"] as? Int } == [4, 9])
        #expect((json?["peakResidentBytes"] as? Int ?? 0) > 0)
        for row in rows {
            let forward = row["forward"] as? [String: Any]
            #expect((forward?["samples"] as? Int) == 2)
            #expect(((forward?["minimum"] as? Double) ?? 0) > 0)
            #expect(((row["gemmFLOPs"] as? Double) ?? 0) > 0)
        }
    }

    @Test("bad lists and lengths beyond the context are errors")
    func badOptions() throws {
        let model = Fixtures.model("tiny-gpt2").path
        let badList = try CLIProcess.run(["bench", "forward", "--model", model, "--tokens", "32,x"])
        #expect(badList.status != 0)
        #expect(badList.stderr.contains("--tokens must be a comma-separated list of positive integers, got \"32,x\""))
        let tooLong = try CLIProcess.run(["bench", "forward", "--model", model, "--tokens", "4096"])
        #expect(tooLong.status != 0)
        #expect(tooLong.stderr.contains("--tokens 4096 exceeds the model's context of 128"))
    }
}
