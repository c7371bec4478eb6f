import HTTP
import Testing

@Suite("Router")
struct RouterTests {
    private func router() -> Router<String> {
        var router = Router<String>()
        router.add("GET", "/", "root")
        router.add("GET", "/api/health", "health")
        router.add("POST", "/api/runs", "create run")
        router.add("GET", "/api/runs/{id}", "run")
        router.add("DELETE", "/api/runs/{id}", "delete run")
        router.add("GET", "/api/runs/latest", "latest")
        router.add("GET", "/api/runs/{id}/graph", "graph")
        router.add("GET", "/api/{kind}/{id}/graph", "generic graph")
        return router
    }

    private func found(_ match: Router<String>.Match) -> (String, [String: String])? {
        if case .found(let handler, let parameters) = match { return (handler, parameters) }
        return nil
    }

    @Test("literal paths and parameters")
    func parameters() throws {
        let router = router()
        #expect(found(router.match(method: "GET", path: "/"))?.0 == "root")
        #expect(found(router.match(method: "GET", path: "/api/health"))?.0 == "health")
        let run = try #require(found(router.match(method: "GET", path: "/api/runs/ab12")))
        #expect(run.0 == "run")
        #expect(run.1 == ["id": "ab12"])
        let graph = try #require(found(router.match(method: "GET", path: "/api/runs/ab%20c/graph")))
        #expect(graph.0 == "graph")
        #expect(graph.1 == ["id": "ab%20c"])
        let generic = try #require(found(router.match(method: "GET", path: "/api/models/m1/graph")))
        #expect(generic.0 == "generic graph")
        #expect(generic.1 == ["kind": "models", "id": "m1"])
    }

    @Test("a literal segment beats a parameter, whatever the order added")
    func specificity() {
        let router = router()
        #expect(found(router.match(method: "GET", path: "/api/runs/latest"))?.0 == "latest")
        #expect(found(router.match(method: "DELETE", path: "/api/runs/latest"))?.0 == "delete run")
    }

    @Test("unknown paths are 404; parameters never match empty segments")
    func notFound() {
        let router = router()
        for path in ["/api", "/api/runs/", "/api/runs//graph", "/api/health/", "//", "/api/runs/a/b", "", "nope"] {
            if case .notFound = router.match(method: "GET", path: path) {
            } else {
                Issue.record("\(path) should be 404, got \(router.match(method: "GET", path: path))")
            }
        }
    }

    @Test("trailing slash is a different resource (no redirect, 404)")
    func trailingSlash() {
        var router = Router<Int>()
        router.add("GET", "/docs", 1)
        router.add("GET", "/files/", 2)
        if case .notFound = router.match(method: "GET", path: "/docs/") {} else { Issue.record("/docs/ matched") }
        if case .notFound = router.match(method: "GET", path: "/files") {} else { Issue.record("/files matched") }
        if case .found(2, _) = router.match(method: "GET", path: "/files/") {} else { Issue.record("/files/ missed") }
    }

    @Test("405 lists the allowed methods, with HEAD when GET is allowed")
    func methodNotAllowed() {
        let router = router()
        guard case .methodNotAllowed(let allowed) = router.match(method: "PUT", path: "/api/runs/x") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["DELETE", "GET", "HEAD"])
        guard case .methodNotAllowed(let postOnly) = router.match(method: "GET", path: "/api/runs") else {
            Issue.record("expected 405")
            return
        }
        #expect(postOnly == ["POST"])
        guard case .methodNotAllowed = router.match(method: "get", path: "/api/health") else {
            Issue.record("methods are case-sensitive")
            return
        }
    }

    @Test("HEAD is served by GET routes unless it has its own")
    func head() {
        var router = router()
        #expect(found(router.match(method: "HEAD", path: "/api/runs/x/graph"))?.0 == "graph")
        router.add("HEAD", "/api/health", "head health")
        #expect(found(router.match(method: "HEAD", path: "/api/health"))?.0 == "head health")
        if case .methodNotAllowed = router.match(method: "HEAD", path: "/api/runs") {
        } else {
            Issue.record("HEAD on a POST-only route is 405")
        }
    }

    @Test("routes lists every method and pattern in order")
    func routes() {
        let routes = router().routes
        #expect(routes.count == 8)
        #expect(routes[2].method == "POST" && routes[2].pattern == "/api/runs")
        #expect(routes.last?.pattern == "/api/{kind}/{id}/graph")
    }
}
