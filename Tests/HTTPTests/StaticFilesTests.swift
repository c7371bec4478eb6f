import Foundation
import HTTP
import Testing
import TestSupport

@Suite("Static files")
struct StaticFilesTests {
    /// A temporary tree: `public/` (served) next to `secret.txt` (not served), with a symlink out of `public/`.
    private struct Tree {
        let base: URL
        let root: URL
        let files: StaticFiles

        init() throws {
            base = try Fixtures.temporaryDirectory()
            root = base.appendingPathComponent("public", isDirectory: true)
            let manager = FileManager.default
            try manager.createDirectory(at: root.appendingPathComponent("css"), withIntermediateDirectories: true)
            try manager.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
            try Data("<h1>home</h1>".utf8).write(to: root.appendingPathComponent("index.html"))
            try Data("<h1>docs</h1>".utf8).write(to: root.appendingPathComponent("docs/index.html"))
            try Data("body{}".utf8).write(to: root.appendingPathComponent("css/app.css"))
            try Data(".env secret".utf8).write(to: root.appendingPathComponent(".env"))
            try Data("TOP SECRET".utf8).write(to: base.appendingPathComponent("secret.txt"))
            for name in [
                "a.js", "b.mjs", "c.json", "d.svg", "e.png", "f.ico", "g.txt", "h.woff2", "i.map", "j.bin",
                "noextension", "UPPER.HTML"
            ] {
                try Data(name.utf8).write(to: root.appendingPathComponent(name))
            }
            try manager.createSymbolicLink(
                atPath: root.appendingPathComponent("escape.txt").path,
                withDestinationPath: base.appendingPathComponent("secret.txt").path)
            try manager.createSymbolicLink(
                atPath: root.appendingPathComponent("outside").path,
                withDestinationPath: base.path)
            try manager.createSymbolicLink(
                atPath: root.appendingPathComponent("inside.css").path,
                withDestinationPath: "css/app.css")
            files = StaticFiles(root: root)
        }

        func get(_ target: String, method: String = "GET", headers: [(String, String)] = []) throws -> HTTPResponse? {
            files.response(for: try HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers)))
        }

        func remove() {
            try? FileManager.default.removeItem(at: base)
        }
    }

    @Test("content types by extension")
    func contentTypes() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let expected = [
            "/a.js": "text/javascript; charset=utf-8", "/b.mjs": "text/javascript; charset=utf-8",
            "/c.json": "application/json", "/d.svg": "image/svg+xml", "/e.png": "image/png",
            "/f.ico": "image/x-icon", "/g.txt": "text/plain; charset=utf-8", "/h.woff2": "font/woff2",
            "/i.map": "application/json", "/j.bin": "application/octet-stream",
            "/noextension": "application/octet-stream", "/UPPER.HTML": "text/html; charset=utf-8",
            "/css/app.css": "text/css; charset=utf-8", "/index.html": "text/html; charset=utf-8"
        ]
        for (target, type) in expected {
            let response = try #require(try tree.get(target), "\(target)")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == type, "\(target)")
            #expect(response.headers["Cache-Control"] == "no-cache")
        }
        #expect(try tree.get("/a.js")?.body == Data("a.js".utf8))
    }

    @Test("/ and /dir/ serve index.html; a directory without slash, a missing file and POST are nil")
    func index() throws {
        let tree = try Tree()
        defer { tree.remove() }
        #expect(try tree.get("/")?.body == Data("<h1>home</h1>".utf8))
        #expect(try tree.get("/?v=2")?.body == Data("<h1>home</h1>".utf8))
        #expect(try tree.get("/docs/")?.body == Data("<h1>docs</h1>".utf8))
        #expect(try tree.get("/docs") == nil)
        #expect(try tree.get("/css/") == nil)
        #expect(try tree.get("/missing.js") == nil)
        #expect(try tree.get("/index.html", method: "POST") == nil)
        #expect(try tree.get("/inside.css")?.body == Data("body{}".utf8))
    }

    @Test("ETag, If-None-Match → 304, HEAD has the length and no body")
    func etag() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let first = try #require(try tree.get("/css/app.css"))
        let etag = try #require(first.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
        #expect(try tree.get("/css/app.css")?.headers["ETag"] == etag)
        let notModified = try #require(try tree.get("/css/app.css", headers: [("If-None-Match", etag)]))
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)
        #expect(notModified.headers["ETag"] == etag)
        #expect(try tree.get("/css/app.css", headers: [("If-None-Match", "\"other\", W/\(etag)")])?.status == 304)
        #expect(try tree.get("/css/app.css", headers: [("If-None-Match", "*")])?.status == 304)
        #expect(try tree.get("/css/app.css", headers: [("If-None-Match", "\"other\"")])?.status == 200)

        let head = try #require(try tree.get("/css/app.css", method: "HEAD"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "6")
        #expect(head.headers["ETag"] == etag)

        // A changed file gets a new tag.
        try Data("body{color:red}".utf8).write(to: tree.root.appendingPathComponent("css/app.css"))
        #expect(try tree.get("/css/app.css")?.headers["ETag"] != etag)
    }

    @Test(
        "traversal in every form never reaches a file outside the root",
        arguments: [
            "/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
            "/..%2Fsecret.txt", "/css/..%2f..%2fsecret.txt", "/a/..\\..\\secret.txt", "/..%5csecret.txt",
            "/escape.txt", "/outside/secret.txt", "/./index.html", "/css/./app.css",
            "/.env", "/%2eenv", "//secret.txt", "/css//app.css"
        ])
    func traversal(target: String) throws {
        let tree = try Tree()
        defer { tree.remove() }
        let response = try tree.get(target)
        #expect(response == nil, "\(target) served \(response.map { String(decoding: $0.body, as: UTF8.self) } ?? "")")
    }

    @Test("a NUL in the path is refused before it reaches the files")
    func nul() {
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: "/secret.txt%00.png") }
    }

    @Test("a root that doesn't exist serves nothing")
    func missingRoot() throws {
        let files = StaticFiles(root: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"))
        #expect(files.response(for: try HTTPRequest(method: "GET", target: "/")) == nil)
    }
}
