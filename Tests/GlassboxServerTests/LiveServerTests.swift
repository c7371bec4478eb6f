import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// The API over real sockets: an `HTTPServer` on 127.0.0.1, port 0.
@Suite("Live server")
struct LiveServerTests {
    @Test("health, a run and its graph over HTTP; errors keep their JSON bodies")
    func roundTrip() throws {
        let fixture = try ServerFixture()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let api = fixture.api
        let server = HTTPServer(configuration: configuration) { request, respond in api.handle(request, respond) }
        let port = try server.start()
        defer { server.stop(gracePeriod: 1) }

        let health = try HTTPTestClient.request(port: port, "GET", "/api/health")
        #expect(health.status == 200)
        #expect(try health.json()["status"] as? String == "ok")
        let run = try HTTPTestClient.request(
            port: port, "POST", "/api/runs", body: Data("{\"prompt\": \"The cat sat\"}".utf8))
        #expect(run.status == 200)
        let id = try #require(try run.json()["id"] as? String)
        let graph = try HTTPTestClient.request(port: port, "GET", "/api/runs/\(id)/graph?target=all")
        #expect(graph.status == 200)
        #expect((try graph.json()["edges"] as? [Any])?.isEmpty == false)
        let head = try HTTPTestClient.request(port: port, "HEAD", "/api/runs/\(id)")
        #expect(head.status == 200 && head.body.isEmpty)
        let bad = try HTTPTestClient.request(port: port, "GET", "/api/runs/\(id)/lens?layer=7")
        #expect(bad.status == 400)
        #expect(
            ((try bad.json()["error"] as? [String: Any])?["details"] as? [String: Any])?["parameter"] as? String
                == "layer")
        let models = try HTTPTestClient.request(port: port, "GET", "/api/models")
        #expect((try models.json()["models"] as? [Any])?.count == 3)
    }
}
