/// The header fields every answer carries (`HTTPServerConfiguration.defaultHeaders`): the UI runs under a content
/// security policy with no inline script or style and cannot be framed; answers are not sniffed, referrers are not
/// sent, and the page shares no browsing context group with other sites.
public enum SecurityHeaders {
    /// The UI's policy: its own files only; images also from `data:` and `blob:` (PNG exports, canvas snapshots).
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The standalone report's policy: its own inline styles and `data:` images, no script at all.
    public static let reportPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'"

    public static let all: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy), ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"), ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"), ("X-Content-Type-Options", "nosniff")
    ]
}
