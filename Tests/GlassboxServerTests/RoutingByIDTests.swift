import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// Several instances behind a proxy that hashes ids (`server.route_by_id`): `POST /api/runs` and `POST /api/reports`
/// answer 307 to the URL of the id they make, where the work is done; job ids carry their routing key.
@Suite("HTTP API: routing by id")
struct RoutingByIDTests {
    static let body = "{\"prompt\": \"The quick brown fox\", \"model\": \"tiny-llama\"}"

    static func isHex(_ text: Substring, count: Int) -> Bool {
        text.count == count && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test("POST /api/runs is a 307 to /api/runs/{id}, the id a single server gives the run; nothing is computed there")
    func runRedirect() throws {
        let single = try ServerFixture()
        let expected = try single.run("The quick brown fox", model: "tiny-llama")
        let routed = try ServerFixture(extra: "\"server\": {\"route_by_id\": true}")
        let redirect = try routed.call("POST", "/api/runs", body: Self.body)
        #expect(redirect.status == 307)
        #expect(redirect.headers["Location"] == "/api/runs/\(expected)")
        let answer = try json(redirect)
        #expect(answer["id"] as? String == expected && answer["location"] as? String == "/api/runs/\(expected)")
        #expect(try routed.call("GET", "/api/runs/\(expected)").status == 404)
        // A bad request is refused at once, not redirected.
        #expect(try routed.call("POST", "/api/runs", body: "{\"prompt\": \"\"}").status == 400)
        #expect(try routed.call("POST", "/api/runs", body: "{\"prompt\": \"x\", \"model\": \"none\"}").status == 400)

        // The request sent on to the Location computes the run there.
        let created = try routed.call("POST", "/api/runs/\(expected)", body: Self.body)
        #expect(created.status == 200)
        #expect(try json(created)["id"] as? String == expected)
        #expect(try routed.call("GET", "/api/runs/\(expected)").status == 200)
    }

    @Test("POST /api/runs/{id} computes only the run with that id: another is 409, a malformed id 400")
    func runAtID() throws {
        let server = try ServerFixture()
        let id = try server.run("The quick brown fox", model: "tiny-llama")
        let other = String(repeating: "ab", count: 32)
        let wrong = try server.call("POST", "/api/runs/\(other)", body: Self.body)
        #expect(wrong.status == 409)
        #expect(String(decoding: wrong.body, as: UTF8.self).contains("makes the run \(id), not \(other)"))
        // Also when the model is not loaded yet (the check happens on the compute queue before the forward pass).
        let fresh = try ServerFixture()
        #expect(try fresh.call("POST", "/api/runs/\(other)", body: Self.body).status == 409)
        #expect(try fresh.call("GET", "/api/runs/\(id)").status == 404)
        let malformed = try server.call("POST", "/api/runs/\(id.uppercased())", body: Self.body)
        #expect(malformed.status == 400)
        #expect(
            try json(malformed)["error"].flatMap { ($0 as? [String: Any])?["details"] } as? [String: String] == [
                "parameter": "id"
            ])
        #expect(try server.call("POST", "/api/runs/\(id)", body: Self.body).status == 200)
        #expect(try fresh.call("POST", "/api/runs/\(id)", body: Self.body).status == 200)
    }

    @Test("POST /api/reports is a 307 to /api/reports/r<80 hex>, where the report is made; that id once only")
    func reportRedirect() throws {
        let routed = try ServerFixture(extra: "\"server\": {\"route_by_id\": true}")
        let body = "{\"model\": \"tiny-gpt2\", \"prompts\": [\"Hello there\"], \"options\": {\"ablation\": false}}"
        let redirect = try routed.call("POST", "/api/reports", body: body)
        #expect(redirect.status == 307)
        let location = try #require(redirect.headers["Location"])
        #expect(
            location.hasPrefix("/api/reports/r") && Self.isHex(location.dropFirst("/api/reports/r".count), count: 80))
        let id = String(location.dropFirst("/api/reports/".count))
        #expect(try json(redirect)["id"] as? String == id)
        #expect(try routed.call("GET", location).status == 404)
        #expect(try routed.call("POST", "/api/reports", body: "{\"prompts\": []}").status == 400)

        let created = try routed.call("POST", location, body: body)
        #expect(created.status == 202)
        #expect(try json(created)["id"] as? String == id)
        #expect(try routed.waitForReport(id) == "done")
        #expect(try routed.call("POST", location, body: body).status == 409)
        for bad in ["r123", "x" + String(repeating: "0", count: 80), "r" + String(repeating: "A", count: 80)] {
            #expect(try routed.call("POST", "/api/reports/\(bad)", body: body).status == 400, "\(bad)")
        }
        // Without routing, POST /api/reports makes the job at once, with an id of the same form.
        let single = try ServerFixture()
        let job = try json(try single.call("POST", "/api/reports", body: body))
        let jobID = try #require(job["id"] as? String)
        #expect(jobID.hasPrefix("r") && Self.isHex(jobID.dropFirst(), count: 80))
    }

    @Test("an attribution job's id is a, the run's id and 16 hex digits, so it routes with its run")
    func attributionJobID() throws {
        let server = try ServerFixture()
        let id = try server.run("The quick brown fox", model: "tiny-llama")
        let job = try json(try server.call("POST", "/api/runs/\(id)/attributions/jobs?method=saliency"))
        let jobID = try #require(job["id"] as? String)
        #expect(jobID.hasPrefix("a" + id) && Self.isHex(jobID.dropFirst(65), count: 16))
        #expect(try server.waitForJob("/api/attribution-jobs/\(jobID)")["status"] as? String == "done")
    }

    @Test("behind a router, the redirecting POSTs take nothing from the client's compute budget")
    func budget() throws {
        let routed = try ServerFixture(
            limits: "{\"client_compute_per_minute\": 1, \"client_compute_burst\": 1}",
            extra: "\"server\": {\"route_by_id\": true}")
        var location = ""
        for _ in 0..<3 {
            let redirect = try routed.call("POST", "/api/runs", body: Self.body)
            #expect(redirect.status == 307)
            location = redirect.headers["Location"] ?? ""
        }
        #expect(try routed.call("POST", location, body: Self.body).status == 200)
        #expect(try routed.call("POST", location, body: Self.body).status == 429)
    }
}
