import Foundation
import Hashing
import ModelFormats

/// Who may use the server and from where (README, "Deploy"): the access tokens (`auth`), the host names and origins
/// it answers (`server`) and the per-client compute limit (`limits.client_compute_*`). Read from the same file as
/// the rest of `ServerConfiguration`, with `GLASSBOX_TOKEN`, `GLASSBOX_TOKENS_FILE`, `GLASSBOX_SESSION_SECRET`,
/// `GLASSBOX_SESSION_SECRET_FILE`, `GLASSBOX_ALLOWED_HOSTS` and `GLASSBOX_ALLOWED_ORIGINS` from the environment.
public struct SecurityConfiguration: Sendable, Equatable {
    /// The accepted access tokens, as SHA-256 digests. Empty: no token is asked for.
    public var tokens: [AccessToken] = []
    /// How long a browser session (the login page's cookie) lasts.
    public var sessionSeconds = 12 * 3600
    /// The key that signs session cookies (`auth.session_secret_file`, `GLASSBOX_SESSION_SECRET`,
    /// `GLASSBOX_SESSION_SECRET_FILE`): the same on every instance behind one proxy, so a session opened on one is
    /// accepted by all. Nil: each process draws its own.
    public var sessionSecret: [UInt8]? = nil
    /// The `Host` names the server answers (lowercase, without port; IPv6 in brackets); nil: the loopback names and
    /// the bound address. `*` answers any.
    public var allowedHosts: [String]? = nil
    /// Origins (`https://notebooks.example.org`) other than the server's own that may send state-changing
    /// requests and read answers (CORS).
    public var allowedOrigins: [String] = []
    /// Peers (reverse proxies) whose `X-Forwarded-For` names the client for the per-client limit.
    public var trustedProxies: [String] = []
    /// Compute-heavy requests (runs, comparisons, reports, attributions, ablation, anomalies) one client may make
    /// a minute on average, and at once after a pause; 0: no limit. Not configured (nil): no limit for a server on
    /// loopback without tokens (one user, this machine), `defaultPerMinute` otherwise.
    public var clientComputePerMinute: Int? = nil
    public var clientComputeBurst = 30
    public static let defaultPerMinute = 60

    public init() {}

    /// Whether requests must carry a token.
    public var requiresToken: Bool { !tokens.isEmpty }

    /// The per-client limit a server listening on `host` applies (see `clientComputePerMinute`).
    public func computePerMinute(listeningOn host: String) -> Int {
        clientComputePerMinute ?? (!requiresToken && Self.isLoopback(host) ? 0 : Self.defaultPerMinute)
    }

    /// Whether `host` is a loopback address or name (only this machine can connect).
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name == "::1" || name == "[::1]" || name.hasPrefix("127.")
    }

    static let authKeys = ["tokens", "tokens_file", "session_hours", "session_secret_file"]
    /// `route_by_id` is `ServerConfiguration`'s.
    static let serverKeys = ["allowed_hosts", "allowed_origins", "trusted_proxies", "route_by_id"]
    /// Fewest characters of a session secret.
    static let minimumSecretLength = 32

    /// Reads `auth` and `server` of `config` (a file at `url`), the client limits of its `limits` object, and the
    /// environment; `resolve` makes a configured path absolute.
    init(
        config: JSONConfig, limits: JSONConfig?, url: URL, environment: [String: String],
        resolve: (String) -> String
    ) throws {
        func fail(_ key: String, _ message: String) -> ModelFormatError {
            ModelFormatError(path: url.path, "key \"\(key)\": \(message)")
        }
        if let auth = try config.object("auth") {
            for key in auth.keys where !Self.authKeys.contains(key) {
                throw fail("auth", "unknown key \"\(key)\" (known: \(Self.authKeys.joined(separator: ", ")))")
            }
            for (index, entry) in (try auth.strings("tokens") ?? []).enumerated() {
                guard let digest = AccessToken.digest(fromStored: entry) else {
                    throw fail(
                        "auth.tokens[\(index)]",
                        "is not a token digest: store \"sha256:<64 hex digits>\", the SHA-256 of the token (glassbox "
                            + "token new prints it), never the token itself")
                }
                tokens.append(AccessToken(name: "auth.tokens[\(index)]", digest: digest))
            }
            if let file = try auth.string("tokens_file", default: nil) {
                tokens += try AccessToken.readFile(resolve(file), key: "auth.tokens_file")
            }
            let hours = try auth.double("session_hours", default: Double(sessionSeconds) / 3600)
            guard hours > 0 && hours <= 24 * 366 else {
                throw fail("auth.session_hours", "must be more than 0 and at most a year of hours, got \(hours)")
            }
            sessionSeconds = Int((hours * 3600).rounded())
            if let file = try auth.string("session_secret_file", default: nil) {
                sessionSecret = try Self.readSecret(resolve(file), key: "auth.session_secret_file")
            }
        }
        if let server = try config.object("server") {
            for key in server.keys where !Self.serverKeys.contains(key) {
                throw fail("server", "unknown key \"\(key)\" (known: \(Self.serverKeys.joined(separator: ", ")))")
            }
            if let hosts = try server.strings("allowed_hosts") {
                allowedHosts = try hosts.map { try Self.hostName($0, key: "server.allowed_hosts", url: url) }
            }
            allowedOrigins = try (try server.strings("allowed_origins") ?? []).map {
                try Self.origin($0, key: "server.allowed_origins", url: url)
            }
            trustedProxies = try server.strings("trusted_proxies") ?? []
        }
        if let limits {
            clientComputePerMinute = try limits.int("client_compute_per_minute", default: nil)
            clientComputeBurst = try limits.int("client_compute_burst", default: clientComputeBurst)!
            guard (clientComputePerMinute ?? 0) >= 0 else {
                throw fail("limits.client_compute_per_minute", "must be 0 (no limit) or more")
            }
            guard clientComputeBurst >= 1 else { throw fail("limits.client_compute_burst", "must be at least 1") }
        }

        if let token = environment["GLASSBOX_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else {
                throw ModelFormatError(
                    path: "GLASSBOX_TOKEN",
                    "is \(token.count) characters: a token needs at least 16 (glassbox token new makes one)")
            }
            tokens.append(AccessToken(name: "GLASSBOX_TOKEN", digest: AccessToken.digest(of: token)))
        }
        if let file = environment["GLASSBOX_TOKENS_FILE"], !file.isEmpty {
            tokens += try AccessToken.readFile(file, key: "GLASSBOX_TOKENS_FILE")
        }
        if let file = environment["GLASSBOX_SESSION_SECRET_FILE"], !file.isEmpty {
            sessionSecret = try Self.readSecret(file, key: "GLASSBOX_SESSION_SECRET_FILE")
        }
        if let secret = environment["GLASSBOX_SESSION_SECRET"], !secret.isEmpty {
            sessionSecret = try Self.secret(secret, key: "GLASSBOX_SESSION_SECRET")
        }
        if let hosts = environment["GLASSBOX_ALLOWED_HOSTS"], !hosts.isEmpty {
            allowedHosts = try Self.list(hosts).map {
                try Self.hostName($0, key: "GLASSBOX_ALLOWED_HOSTS", url: url)
            }
        }
        if let origins = environment["GLASSBOX_ALLOWED_ORIGINS"], !origins.isEmpty {
            allowedOrigins = try Self.list(origins).map {
                try Self.origin($0, key: "GLASSBOX_ALLOWED_ORIGINS", url: url)
            }
        }
    }

    /// A session secret file's text, without surrounding white space.
    static func readSecret(_ path: String, key: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw ModelFormatError(path: path, "cannot read the session secret file (\(key))") }
        return try secret(text, key: key)
    }

    static func secret(_ text: String, key: String) throws -> [UInt8] {
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.count >= minimumSecretLength else {
            throw ModelFormatError(
                path: key,
                "the session secret is \(secret.count) characters: it needs at least \(minimumSecretLength) "
                    + "(glassbox token new prints a suitable random value)")
        }
        return Array(secret.utf8)
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A configured host name, lowercased, IPv6 in brackets; `*` as is.
    static func hostName(_ text: String, key: String, url: URL) throws -> String {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, !name.contains("/"), !name.contains(" ") else {
            throw ModelFormatError(path: url.path, "key \"\(key)\": \"\(text)\" is not a host name (example.org)")
        }
        if name == "*" { return name }
        if name.contains(":") && !name.hasPrefix("[") { return "[\(name)]" } // an IPv6 address
        return name
    }

    /// A configured origin: `scheme://host[:port]`, lowercased, no path.
    static func origin(_ text: String, key: String, url: URL) throws -> String {
        let origin = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = origin.components(separatedBy: "://")
        guard parts.count == 2, ["http", "https"].contains(parts[0]), !parts[1].isEmpty,
            !parts[1].contains("/")
        else {
            throw ModelFormatError(
                path: url.path, "key \"\(key)\": \"\(text)\" is not an origin (https://example.org, no path)")
        }
        return origin
    }
}

/// One accepted access token: a name for logs and limits, and the SHA-256 of the token (64 lowercase hex digits).
/// The token itself is never stored.
public struct AccessToken: Sendable, Equatable {
    public let name: String
    public let digest: String

    public init(name: String, digest: String) {
        self.name = name
        self.digest = digest
    }

    /// A new token: `gb_` and 256 bits from the system's secure generator, in hex.
    public static func generate() -> String { "gb_" + randomHex(words: 4) }

    /// `words` 64-bit words from the system's secure generator (getrandom), as 16 hex digits each.
    static func randomHex(words: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The line that accepts `token`: for `auth.tokens` in the configuration, or (with a name) a tokens file.
    public static func storedLine(of token: String) -> String { "sha256:" + digest(of: token) }

    /// The digest of a token as presented.
    public static func digest(of token: String) -> String { SHA256.hex(token) }

    /// The digest in a stored entry `sha256:<64 hex digits>`, or nil.
    public static func digest(fromStored entry: String) -> String? {
        let text = entry.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = text.dropFirst(7).lowercased()
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return hex
    }

    /// A tokens file: one `sha256:<hex> [name]` a line; blank lines and lines from `#` are skipped.
    static func readFile(_ path: String, key: String) throws -> [AccessToken] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw ModelFormatError(path: path, "cannot read the tokens file (\(key))") }
        var tokens: [AccessToken] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first else { continue }
            guard let digest = digest(fromStored: String(first)) else {
                throw ModelFormatError(
                    path: path,
                    "line \(number + 1): expected \"sha256:<64 hex digits> [name]\" (the SHA-256 of the token, "
                        + "as glassbox token new prints it), never the token itself")
            }
            let name = fields.count > 1 ? fields[1...].joined(separator: " ") : "\(key) line \(number + 1)"
            tokens.append(AccessToken(name: name, digest: digest))
        }
        return tokens
    }
}
