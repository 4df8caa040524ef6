import Vapor

/// The security headers of the baseline on every response: everything from our own origin only, no framing, no
/// MIME sniffing, no referrer leaking to other sites, HSTS when the portal's public address is HTTPS. A header a
/// response already carries is kept: it was set stricter on purpose (the evidence downloads' sandbox, `no-referrer`
/// on the anonymous pages).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        func addIfMissing(_ name: String, _ value: String) {
            if !response.headers.contains(name: name) { response.headers.add(name: name, value: value) }
        }
        addIfMissing("Content-Security-Policy", Self.contentSecurityPolicy)
        addIfMissing("X-Content-Type-Options", "nosniff")
        addIfMissing("X-Frame-Options", "DENY")
        addIfMissing("Referrer-Policy", "strict-origin-when-cross-origin")
        // What a signed-in person (or a form with a token) is shown is theirs alone: a monitoring role's dashboard
        // shows returned lines and notes. No shared cache keeps it, unless the handler said otherwise.
        if request.sessionUser != nil || request.rendersPersonalContent {
            addIfMissing("Cache-Control", "private, no-store")
        }
        // Whether people reach the portal over HTTPS is the operator's setting, not something a client may claim
        // with X-Forwarded-Proto.
        if request.application.config.servesOverTLS {
            addIfMissing("Strict-Transport-Security", "max-age=31536000")
        }
        return response
    }
}
