import Foundation
import GlassboxServer
import HTTP
import Testing
import TestSupport

/// Analysis results are cached by the request they name, not by how its query is spelt.
@Suite("Analysis cache keys")
struct AnalysisCacheTests {
    @Test("equal graph requests (0.04, .04, default; -1 and the last position) share one cache entry")
    func equalRequestsShareOneEntry() throws {
        let server = try ServerFixture()
        let id = try server.run("The cat sat on the mat")
        let n = try #require(try json(try server.call("GET", "/api/runs/\(id)"))["tokens"] as? [Any]).count
        let spellings = [
            "threshold=0.04&target=-1", "threshold=.04&target=\(n - 1)", "target=-1",
            "renormalize=true&target=-1&threshold=0.040", "target=\(n - 1)&renormalize=1"
        ]
        var bodies: [Data] = []
        for query in spellings {
            let response = try server.call("GET", "/api/runs/\(id)/graph?\(query)")
            #expect(response.status == 200, "\(query): \(String(decoding: response.body, as: UTF8.self))")
            bodies.append(response.body)
        }
        #expect(Set(bodies).count == 1)
        server.api.service.flush()
        #expect(try server.api.service.store.resultCount(runID: id, analysis: "graph") == 1)
        // A different request is a different entry; so is a different analysis of the same run.
        let other = try server.call("GET", "/api/runs/\(id)/graph?threshold=0.05&target=-1")
        #expect(other.status == 200)
        #expect(other.body != bodies[0])
        let lens = ["/lens?layer=1", "/lens?layer=1&point=post&token=-1&k=10", "/lens?layer=1&normalize=true"]
        for path in lens { #expect(try server.call("GET", "/api/runs/\(id)\(path)").status == 200) }
        server.api.service.flush()
        #expect(try server.api.service.store.resultCount(runID: id, analysis: "graph") == 2)
        #expect(try server.api.service.store.resultCount(runID: id, analysis: "lens") == 1)
    }

    @Test("a bad value is answered before any lookup or computation, with the parameter named")
    func badValuesFirst() throws {
        let server = try ServerFixture()
        let id = try server.run("The cat sat on the mat")
        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/graph?threshold=2"), status: 400,
            code: "bad_parameter", parameter: "threshold")
        try APITests.expectError(
            try server.call("GET", "/api/runs/\(id)/contributions?layer=0&target=0&source=99"),
            status: 400, code: "bad_parameter", parameter: "source")
        server.api.service.flush()
        #expect(try server.api.service.store.resultCount(runID: id, analysis: "graph") == 0)
    }
}
