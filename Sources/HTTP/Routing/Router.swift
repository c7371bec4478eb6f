/// A route table from (method, path pattern) to a handler: pure, testable without sockets.
///
/// Patterns are absolute paths whose segments are literals or `{name}` parameters; a parameter captures exactly one
/// non-empty segment of the (already percent-decoded) path. Matching is exact about slashes: `/api/runs/` does not
/// match `/api/runs` and `//` never matches anything but a pattern with an empty segment, so every resource has one
/// URL. When several patterns match, the most specific wins: at the first segment where they differ, a literal
/// beats a parameter. `HEAD` is served by a `GET` route unless a `HEAD` route exists.
public struct Router<Handler: Sendable>: Sendable {
    /// The outcome of `match`.
    public enum Match {
        /// A route for this method and path, with the parameter values by name.
        case found(Handler, parameters: [String: String])
        /// The path is routed, but not for this method; `allowed` lists the methods that are (with `HEAD` when `GET`
        /// is), sorted.
        case methodNotAllowed(allowed: [String])
        /// No pattern matches the path.
        case notFound
    }

    private struct Route: Sendable {
        let method: String
        let pattern: String
        let segments: [RouteSegment]
        let handler: Handler
    }

    private var table: [Route] = []

    public init() {}

    /// Adds a route. `pattern` must start with `/`; `{name}` segments capture, names must be unique per pattern.
    /// A pattern and method added twice: the first one wins.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let segments = RouteSegment.parse(pattern)
        let names = segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
        precondition(Set(names).count == names.count, "route pattern \(pattern) repeats a parameter name")
        table.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    /// Every (method, pattern) in the order added.
    public var routes: [(method: String, pattern: String)] {
        table.map { (method: $0.method, pattern: $0.pattern) }
    }

    /// The route for `method` and the decoded `path` (no query).
    public func match(method: String, path: String) -> Match {
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.hasPrefix("/") else { return .notFound }
        var candidates: [(route: Route, parameters: [String: String])] = []
        for route in table {
            if let parameters = Self.bind(route.segments, to: pathSegments) {
                candidates.append((route, parameters))
            }
        }
        if candidates.isEmpty { return .notFound }
        let exact = candidates.filter { $0.route.method == method }
        let usable = !exact.isEmpty || method != "HEAD" ? exact : candidates.filter { $0.route.method == "GET" }
        if let best = usable.min(by: { Self.isMoreSpecific($0.route.segments, than: $1.route.segments) }) {
            return .found(best.route.handler, parameters: best.parameters)
        }
        var allowed = Set(candidates.map(\.route.method))
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    private static func bind(_ pattern: [RouteSegment], to path: ArraySlice<Substring>) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(pattern, path) {
            switch segment {
            case .literal(let text):
                guard value == text else { return nil }
            case .parameter(let name):
                guard !value.isEmpty else { return nil }
                parameters[name] = String(value)
            }
        }
        return parameters
    }

    /// Whether `a` is preferred over `b`: at the first differing kind of segment, a literal beats a parameter.
    private static func isMoreSpecific(_ a: [RouteSegment], than b: [RouteSegment]) -> Bool {
        for (x, y) in zip(a, b) where x.isLiteral != y.isLiteral {
            return x.isLiteral
        }
        return false
    }
}

extension Router.Match: Sendable {}

/// One `/`-separated piece of a route pattern.
enum RouteSegment: Sendable, Equatable {
    case literal(String)
    case parameter(String)

    var isLiteral: Bool {
        if case .literal = self { true } else { false }
    }

    /// The segments after the leading `/` (`/` alone is one empty literal segment, matching the path `/`).
    static func parse(_ pattern: String) -> [RouteSegment] {
        pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { piece in
            if piece.count > 2 && piece.hasPrefix("{") && piece.hasSuffix("}") {
                .parameter(String(piece.dropFirst().dropLast()))
            } else {
                .literal(String(piece))
            }
        }
    }
}
