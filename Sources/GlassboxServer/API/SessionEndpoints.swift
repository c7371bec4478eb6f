import Foundation
import HTTP
import JSON

/// `/api/session`: the login page's sign-in and sign-out. `POST {"token": "…"}` checks the token and answers with an
/// `HttpOnly`, `SameSite=Strict` session cookie (`Secure` behind a TLS proxy that says `X-Forwarded-Proto: https`);
/// `GET` says whether the server asks for tokens and whether this browser is signed in; `DELETE` signs out.
extension GlassboxAPI {
    func sessionStatus(_ request: HTTPRequest) -> HTTPResponse {
        let required = gate.configuration.requiresToken
        let signedIn = !required || { if case .success = gate.authenticate(request) { true } else { false } }()
        return .json(200, Self.sessionJSON(required: required, signedIn: signedIn))
    }

    func signIn(_ request: HTTPRequest) -> HTTPResponse {
        do {
            try QueryParameters(request.query).allow([])
            let body = try JSONBody(request.body, known: ["token"], example: "{\"token\": \"gb_…\"}")
            guard let presented = try body.string("token"), !presented.isEmpty else {
                throw ServiceError.badParameter("token", "send the access token as a string")
            }
            guard gate.configuration.requiresToken else {
                return .json(200, Self.sessionJSON(required: false, signedIn: true))
            }
            guard let token = gate.match(presented) else {
                var response = HTTPResponse.error(
                    401, code: "invalid_token", message: "the access token is not one this server accepts")
                response.headers.set("WWW-Authenticate", "Bearer realm=\"glassbox\", error=\"invalid_token\"")
                return response
            }
            let id = gate.sessions.open(token)
            var response = HTTPResponse.json(200, Self.sessionJSON(required: true, signedIn: true))
            response.headers.set(
                "Set-Cookie",
                Self.cookie(id, maxAge: Int(gate.sessions.lifetime), secure: Self.isTLS(request)))
            return response
        } catch {
            return Self.response(ServiceError(error))
        }
    }

    func signOut(_ request: HTTPRequest) -> HTTPResponse {
        if let id = RequestGate.cookie(RequestGate.sessionCookie, in: request.headers) { gate.sessions.close(id) }
        var response = HTTPResponse.json(
            200, Self.sessionJSON(required: gate.configuration.requiresToken, signedIn: false))
        response.headers.set("Set-Cookie", Self.cookie("", maxAge: 0, secure: Self.isTLS(request)))
        return response
    }

    static func sessionJSON(required: Bool, signedIn: Bool) -> Data {
        var w = JSONWriter()
        w.object { o in
            o.field("tokens_required", required)
            o.field("signed_in", signedIn)
        }
        return w.data
    }

    static func cookie(_ value: String, maxAge: Int, secure: Bool) -> String {
        "\(RequestGate.sessionCookie)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : "")
    }

    /// Whether the browser reached the server over TLS (through a proxy that says so).
    static func isTLS(_ request: HTTPRequest) -> Bool {
        request.headers["X-Forwarded-Proto"]?.lowercased() == "https"
            || request.headers["Origin"]?.lowercased().hasPrefix("https://") == true
    }
}
