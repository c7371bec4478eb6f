import Foundation
import HTTP
import Synchronization

/// What every request passes before it reaches a route (README, "Deploy"), in this order:
/// 1. `Host` must be one of the server's names (`server.allowed_hosts`; default the loopback names and the bound
///    address) → else 421, so a page on another site cannot reach the API through DNS rebinding;
/// 2. a CORS preflight is answered (204 for `server.allowed_origins`, else 403);
/// 3. a state-changing request (`POST`, `PUT`, `PATCH`, `DELETE`) with an `Origin` must come from the server's own
///    pages or an allowed origin → else 403, and a `POST`/`PUT`/`PATCH` must be `application/json` → else 415 (a
///    foreign page can send `text/plain` without a preflight);
/// 4. with access tokens configured, an API request needs `Authorization: Bearer <token>` or a live session
///    cookie from the login page → else 401 with `WWW-Authenticate`;
/// 5. a compute-heavy request takes one from its client's token bucket → else 429 with `Retry-After`.
/// `/api/health` passes untouched (container health checks); `/api/session` (the login) needs no token; the UI's
/// static files only the host check. Counts what it refused, for `/api/health`.
public final class RequestGate: Sendable {
    public let configuration: SecurityConfiguration
    public let sessions: SessionStore
    public let limiter: ClientRateLimiter
    /// The per-client limit in force (`SecurityConfiguration.computePerMinute`).
    public let computePerMinute: Int
    private let tokens: TokenCheck
    private let hosts: Set<String>
    private let counters = Mutex(Counters())

    public static let sessionCookie = "glassbox_session"

    /// Refusals by kind since the start.
    public struct Counters: Sendable, Equatable {
        public var misdirected = 0
        public var forbidden = 0
        public var unauthorized = 0
        public var rateLimited = 0
    }

    /// What a request may do.
    public enum Verdict: Sendable {
        /// Go on to the route, for `client` (a token's name, or `peer:<address>`); `headers` go on its answer
        /// (CORS for an allowed origin).
        case pass(client: String, token: AccessToken?, headers: [(name: String, value: String)])
        /// Answer this instead.
        case refuse(HTTPResponse)
    }

    /// `boundHost`: the address the server listens on (allowed as a host name unless it is a wildcard).
    public init(configuration: SecurityConfiguration, boundHost: String) {
        self.configuration = configuration
        sessions = SessionStore(
            lifetime: TimeInterval(configuration.sessionSeconds), secret: configuration.sessionSecret)
        computePerMinute = configuration.computePerMinute(listeningOn: boundHost)
        limiter = ClientRateLimiter(perMinute: computePerMinute, burst: configuration.clientComputeBurst)
        tokens = TokenCheck(configuration.tokens)
        if let configured = configuration.allowedHosts {
            hosts = Set(configured)
        } else {
            var names: Set<String> = ["localhost", "127.0.0.1", "[::1]"]
            let bound = boundHost.lowercased()
            if !["0.0.0.0", "::", "[::]", ""].contains(bound) {
                names.insert(bound.contains(":") && !bound.hasPrefix("[") ? "[\(bound)]" : bound)
            }
            hosts = names
        }
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// The checks of the type comment for `request`; `computeHeavy`: whether it takes from the client's bucket.
    public func check(_ request: HTTPRequest, computeHeavy: Bool) -> Verdict {
        let path = request.path
        if path == "/api/health" { return .pass(client: client(request, nil), token: nil, headers: []) }
        let host = request.headers["Host"].map(Self.hostName)
        if let host {
            guard hosts.contains("*") || hosts.contains(host) else {
                return refuse(\.misdirected, Self.misdirected(host))
            }
        } else if request.version != "HTTP/1.0" {
            return .refuse(.error(400, code: "bad_request", message: "an HTTP/1.1 request needs a Host header"))
        }
        let origin = request.headers["Origin"]?.lowercased()
        let cors = origin.flatMap { configuration.allowedOrigins.contains($0) ? Self.corsHeaders($0) : nil } ?? []
        if request.method == "OPTIONS", request.headers.contains("Access-Control-Request-Method") {
            guard !cors.isEmpty else {
                return refuse(\.forbidden, Self.forbiddenOrigin(origin ?? "(none)"))
            }
            var response = HTTPResponse(status: 204)
            for (name, value) in cors + Self.preflightHeaders { response.headers.set(name, value) }
            return .refuse(response)
        }
        if ["POST", "PUT", "PATCH", "DELETE"].contains(request.method) {
            if let origin, cors.isEmpty, !Self.isSameOrigin(origin, host: request.headers["Host"]) {
                return refuse(\.forbidden, Self.forbiddenOrigin(origin))
            }
            if request.method != "DELETE", !Self.isJSON(request.headers["Content-Type"]) {
                return .refuse(
                    .error(
                        415, code: "unsupported_media_type",
                        message: "\(request.method) bodies must be JSON: send Content-Type: application/json"
                            + (request.headers["Content-Type"].map { " (got \($0))" } ?? "")))
            }
        }
        guard path.hasPrefix("/api/") else { return .pass(client: client(request, nil), token: nil, headers: cors) }
        var token: AccessToken? = nil
        if configuration.requiresToken && path != "/api/session" {
            switch authenticate(request) {
            case .success(let found): token = found
            case .failure(let refusal): return refuse(\.unauthorized, refusal.response)
            }
        }
        let who = client(request, token)
        if computeHeavy, let wait = limiter.admit(who) {
            counters.withLock { $0.rateLimited += 1 }
            var response = HTTPResponse.error(
                429, code: "rate_limited",
                message: "too many compute requests from this client (limits.client_compute_per_minute: "
                    + "\(computePerMinute) a minute, bursts of \(configuration.clientComputeBurst))"
                    + ": try again in \(wait) s")
            response.headers.set("Retry-After", String(wait))
            for (name, value) in cors { response.headers.set(name, value) }
            return .refuse(response)
        }
        return .pass(client: who, token: token, headers: cors)
    }

    /// The token a request carries (a bearer token, else a session cookie), checked.
    func authenticate(_ request: HTTPRequest) -> Result<AccessToken, Unauthorized> {
        if let authorization = request.headers["Authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                return .failure(.malformed)
            }
            guard let token = tokens.match(parts[1].trimmingCharacters(in: .whitespaces)) else {
                return .failure(.invalidToken)
            }
            return .success(token)
        }
        if let id = Self.cookie(Self.sessionCookie, in: request.headers) {
            guard let token = sessions.token(id, among: configuration.tokens) else { return .failure(.sessionEnded) }
            return .success(token)
        }
        return .failure(.missing)
    }

    /// The configured token a presented one is (the login page's check), or nil.
    public func match(_ presented: String) -> AccessToken? { tokens.match(presented) }

    /// Why a request is not authenticated.
    enum Unauthorized: Error {
        case missing, malformed, invalidToken, sessionEnded

        var response: HTTPResponse {
            let (code, message, challenge): (String, String, String)
            switch self {
            case .missing:
                (code, message, challenge) = (
                    "unauthorized",
                    "this server needs an access token: send Authorization: Bearer <token>, or sign in at /login",
                    "Bearer realm=\"glassbox\""
                )
            case .malformed:
                (code, message, challenge) = (
                    "unauthorized", "the Authorization header must be \"Bearer <token>\"",
                    "Bearer realm=\"glassbox\", error=\"invalid_request\""
                )
            case .invalidToken:
                (code, message, challenge) = (
                    "invalid_token", "the access token is not one this server accepts",
                    "Bearer realm=\"glassbox\", error=\"invalid_token\""
                )
            case .sessionEnded:
                (code, message, challenge) = (
                    "session_ended", "the session has ended: sign in again at /login", "Bearer realm=\"glassbox\""
                )
            }
            var response = HTTPResponse.error(401, code: code, message: message)
            response.headers.set("WWW-Authenticate", challenge)
            return response
        }
    }

    /// Who a request is for the per-client limit: its token's name, else the peer (the client a trusted proxy
    /// names in `X-Forwarded-For`).
    func client(_ request: HTTPRequest, _ token: AccessToken?) -> String {
        if let token { return "token:" + token.name }
        var peer = request.peerAddress
        if configuration.trustedProxies.contains(peer), let forwarded = request.headers["X-Forwarded-For"],
            let last = forwarded.split(separator: ",").last
        {
            peer = last.trimmingCharacters(in: .whitespaces)
        }
        return "peer:" + peer
    }

    private func refuse(_ counter: WritableKeyPath<Counters, Int>, _ response: HTTPResponse) -> Verdict {
        counters.withLock { $0[keyPath: counter] += 1 }
        return .refuse(response)
    }

    // MARK: pure parts

    /// A `Host` value's name: lowercased, without the port; an IPv6 literal keeps its brackets.
    static func hostName(_ value: String) -> String {
        let text = value.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { return String(text[...close]) }
        if let colon = text.firstIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 {
            return String(text[..<colon])
        }
        return text
    }

    /// Whether `origin` (`scheme://host[:port]`) is the server's own for the request's `Host` (the scheme may
    /// differ: a TLS proxy in front).
    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let separator = origin.range(of: "://") else { return false }
        let authority = origin[separator.upperBound...]
        return !authority.isEmpty && authority == host.lowercased().trimmingCharacters(in: .whitespaces)[...]
    }

    /// Whether a `Content-Type` is `application/json` (parameters allowed).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return media.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    /// The value of the cookie `name`, or nil.
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers.values("Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    static func corsHeaders(_ origin: String) -> [(name: String, value: String)] {
        [
            ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
            ("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate")
        ]
    }

    static let preflightHeaders: [(name: String, value: String)] = [
        ("Access-Control-Allow-Methods", "GET, POST, DELETE"),
        ("Access-Control-Allow-Headers", "Authorization, Content-Type"), ("Access-Control-Max-Age", "600")
    ]

    static func misdirected(_ host: String) -> HTTPResponse {
        .error(
            421, code: "misdirected_request",
            message: "this server does not answer for the host \(host): if that is one of its names, add it to "
                + "server.allowed_hosts (or GLASSBOX_ALLOWED_HOSTS)")
    }

    static func forbiddenOrigin(_ origin: String) -> HTTPResponse {
        .error(
            403, code: "forbidden_origin",
            message: "requests from the origin \(origin) are not accepted: only the server's own pages and "
                + "server.allowed_origins may send them")
    }
}
