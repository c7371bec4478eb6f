import Foundation
import GlassboxServer
import HTTP
import Testing

/// `/api/openapi.json` describes exactly the routes the server has, and its examples work.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every route is described, every described route exists, and every example request succeeds")
    func consistent() throws {
        let server = try ServerFixture(
            extra: CheckpointSeriesAPITests.series, models: CheckpointSeriesAPITests.stepModel)
        let response = try server.call("GET", "/api/openapi.json")
        #expect(response.status == 200)
        let document = try json(response)
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(server.api.router.routes.map { "\($0.method) \($0.pattern)" })
        #expect(
            described == routed,
            "only described: \(described.subtracting(routed)); only routed: \(routed.subtracting(described))")

        // The POST example creates the run the GET examples read; the other POST examples must succeed too.
        func example(_ path: String) throws -> String {
            let post = try #require((paths[path]?["post"] as? [String: Any]))
            let value = try #require(
                (((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                    as? [String: Any])?["example"])
            return String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
        }
        let created = try server.call("POST", "/api/runs", body: try example("/api/runs"))
        #expect(created.status == 200)
        let id = try #require(try json(created)["id"] as? String)
        let compared = try server.call("POST", "/api/compare", body: try example("/api/compare"))
        #expect(compared.status == 200, "\(String(decoding: compared.body.prefix(300), as: UTF8.self))")
        let started = try server.call("POST", "/api/reports", body: try example("/api/reports"))
        #expect(started.status == 202)
        let reportID = try #require(try json(started)["id"] as? String)
        #expect(try server.waitForReport(reportID) == "done")
        let job = try server.call("POST", "/api/runs/\(id)/attributions/jobs?method=ig&steps=64")
        #expect(job.status == 202)
        let jobID = try #require(try json(job)["id"] as? String)
        #expect((try server.waitForJob("/api/attribution-jobs/\(jobID)"))["status"] as? String == "done")
        let explained = try server.call("POST", "/api/explanations", body: try example("/api/explanations"))
        #expect(explained.status == 202, "\(String(decoding: explained.body.prefix(300), as: UTF8.self))")
        let explanationID = try #require(try json(explained)["id"] as? String)
        #expect((try server.waitForJob("/api/explanations/\(explanationID)"))["status"] as? String == "done")
        let series = try server.call(
            "POST", "/api/checkpoint-series", body: try example("/api/checkpoint-series"))
        #expect(series.status == 202, "\(String(decoding: series.body.prefix(300), as: UTF8.self))")
        let seriesID = try #require(try json(series)["id"] as? String)
        #expect((try server.waitForJob("/api/checkpoint-series/\(seriesID)"))["status"] as? String == "done")
        let components = (document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]] ?? [:]
        for (path, operations) in paths {
            guard let get = operations["get"] as? [String: Any] else { continue }
            var query: [String] = []
            for parameter in get["parameters"] as? [[String: Any]] ?? [] {
                let resolved =
                    (parameter["$ref"] as? String).map { components[String($0.split(separator: "/").last!)] ?? [:] }
                    ?? parameter
                guard resolved["in"] as? String == "query", let value = resolved["example"] else { continue }
                query.append("\(resolved["name"]!)=\(value)")
            }
            // `{id}` in the path or in an example query value (graph-diff's runs) is the example run's.
            let target = (path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
                .replacingOccurrences(
                    of: "{id}",
                    with: path.hasPrefix("/api/reports/")
                        ? reportID
                        : path.hasPrefix("/api/attribution-jobs/")
                            ? jobID
                            : path.hasPrefix("/api/explanations/")
                                ? explanationID : path.hasPrefix("/api/checkpoint-series/") ? seriesID : id)
            let answer = try server.call("GET", target)
            #expect(answer.status == 200, "\(target): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        #expect(try server.call("DELETE", "/api/reports/\(reportID)").status == 200)
        #expect(try server.call("DELETE", "/api/attribution-jobs/\(jobID)").status == 200)
        #expect(try server.call("DELETE", "/api/explanations/\(explanationID)").status == 200)
        #expect(try server.call("DELETE", "/api/checkpoint-series/\(seriesID)").status == 200)
    }
}
