import Foundation
import Glibc

/// Serves the files under one directory for `GET` and `HEAD`.
///
/// Responses carry `Content-Type` by extension, a strong `ETag` from size and modification time, and
/// `Cache-Control: no-cache` (the browser revalidates each time and gets a 304 while the file is unchanged).
/// `/` and `/dir/` serve `index.html`.
///
/// Never serves outside `root`: the raw target may not contain `%2f`, `%5c` or `%00`; the decoded path may not
/// contain `\`, NUL, or a `.` / `..` segment; segments starting with `.` (dot files) are not served either; and the
/// real path of the file (symlinks resolved) must lie inside the real path of `root`.
public struct StaticFiles: Sendable {
    public let root: URL
    /// `root` with symlinks resolved and no trailing slash, or nil when it doesn't exist.
    private let realRoot: String?

    public init(root: URL) {
        self.root = root
        realRoot = Self.realPath(root.path).map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The response for a file under `root`, or nil when the method isn't `GET`/`HEAD`, the path is refused or
    /// there is no such regular file.
    public func response(for request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "GET" || request.method == "HEAD", let file = resolve(request),
            let info = Self.status(file)
        else { return nil }
        let etag = "\"\(String(info.size, radix: 16))-\(String(info.modified, radix: 16))\""
        var headers = HTTPHeaders([
            ("Content-Type", Self.contentType(file)), ("ETag", etag),
            ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")
        ])
        if let condition = request.headers["If-None-Match"], Self.matches(condition, etag: etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        if request.method == "HEAD" {
            headers.set("Content-Length", String(info.size))
            return HTTPResponse(status: 200, headers: headers)
        }
        // Read, not mapped: a mapped file truncated while it is being sent would crash the process (SIGBUS).
        guard let body = try? Data(contentsOf: URL(fileURLWithPath: file)) else { return nil }
        return HTTPResponse(status: 200, headers: headers, body: body)
    }

    /// The real path of the requested file, inside the real root, or nil.
    private func resolve(_ request: HTTPRequest) -> String? {
        guard let realRoot else { return nil }
        let rawPath = request.target.prefix { $0 != "?" }.lowercased()
        for forbidden in ["%2f", "%5c", "%00"] where rawPath.contains(forbidden) { return nil }
        let path = request.path
        guard path.hasPrefix("/"), !path.contains("\\"), !path.utf8.contains(0) else { return nil }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if segments.last == "" { segments = segments.dropLast() + ["index.html"] }
        for segment in segments where segment.isEmpty || segment.hasPrefix(".") { return nil }
        let candidate = realRoot + "/" + segments.joined(separator: "/")
        guard let real = Self.realPath(candidate), real.hasPrefix(realRoot + "/") || realRoot == "/" else {
            return nil
        }
        return real
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Size in bytes and modification time in nanoseconds of a regular file, or nil.
    private static func status(_ path: String) -> (size: Int, modified: Int)? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let time = info.st_mtim
        return (Int(info.st_size), Int(time.tv_sec) &* 1_000_000_000 &+ Int(time.tv_nsec))
    }

    /// Whether an `If-None-Match` value names `etag` (weak comparison, RFC 9110 §13.1.2) or is `*`.
    static func matches(_ condition: String, etag: String) -> Bool {
        let tags = condition.split(separator: ",").map { $0.trimmingSpacesAndTabs() }
        return tags.contains { $0 == "*" || $0 == etag || ($0.hasPrefix("W/") && $0.dropFirst(2) == etag) }
    }

    /// The media type for a file name's extension.
    public static func contentType(_ fileName: String) -> String {
        let name = fileName.split(separator: "/").last ?? ""
        let ext = name.contains(".") ? name.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json", "map": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "txt": return "text/plain; charset=utf-8"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}
