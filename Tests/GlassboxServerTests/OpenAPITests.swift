import Foundation
import GlassboxServer
import HTTP
import Testing

/// `/api/openapi.json` describes exactly the routes the server has, and its examples work.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every route is described, every described route exists, and every example request succeeds")
    func consistent() throws {
        let server = try ServerFixture()
        let response = try server.call("GET", "/api/openapi.json")
        #expect(response.status == 200)
        let document = try json(response)
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(server.api.router.routes.map { "\($0.method) \($0.pattern)" })
        #expect(described == routed, "only described: \(described.subtracting(routed)); only routed: \(routed.subtracting(described))")

        // The POST example creates the run the GET examples read.
        let post = try #require((paths["/api/runs"]?["post"] as? [String: Any]))
        let example = try #require((((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                                     as? [String: Any])?["example"])
        let created = try server.call("POST", "/api/runs",
                                      body: String(decoding: try JSONSerialization.data(withJSONObject: example), as: UTF8.self))
        #expect(created.status == 200)
        let id = try #require(try json(created)["id"] as? String)
        let components = (document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]] ?? [:]
        for (path, operations) in paths {
            guard let get = operations["get"] as? [String: Any] else { continue }
            var query: [String] = []
            for parameter in get["parameters"] as? [[String: Any]] ?? [] {
                let resolved = (parameter["$ref"] as? String).map { components[String($0.split(separator: "/").last!)] ?? [:] } ?? parameter
                guard resolved["in"] as? String == "query", let value = resolved["example"] else { continue }
                query.append("\(resolved["name"]!)=\(value)")
            }
            let target = path.replacingOccurrences(of: "{id}", with: id) + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            let answer = try server.call("GET", target)
            #expect(answer.status == 200, "\(target): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
    }
}
