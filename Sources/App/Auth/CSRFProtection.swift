import Vapor

/// Refuses every state-changing request (POST, PUT, PATCH, DELETE) that does not carry the form's CSRF token.
///
/// Signed-in requests must send the token of their session (the synchronizer pattern). Forms used before signing in
/// (sign-in, setting a password from a link) send the token of an anonymous `jaga_csrf` cookie (double submit), which
/// SameSite=Strict keeps other sites from sending. Templates put the token in a hidden `_csrf` field.
struct CSRFProtection: AsyncMiddleware {
    static let fieldName = "_csrf"
    static let cookieName = "jaga_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The API (`/api/`) never acts on a session cookie, so a forged cross-site request has nothing to ride on;
        // its callers identify themselves in a header a browser does not add by itself.
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) && !request.url.path.hasPrefix(SiteURL.apiPrefix) {
            // A client over its limit is turned away before its body is read.
            if let admission = request.route?.admission, !admission(request) {
                throw PageError(status: .tooManyRequests, messageKey: "error.too_many", arguments: [])
            }
            let declared = request.headers.first(name: .contentLength).flatMap(Int.init) ?? 0
            if request.body.data == nil && declared > UploadGate.largeBody {
                // Large bodies are read and handled a few at a time (`UploadGate`).
                let gate = request.application.uploadGate
                await gate.enter()
                do {
                    let response = try await self.check(request, declared: declared, then: next)
                    await gate.leave()
                    return response
                } catch {
                    await gate.leave()
                    throw error
                }
            }
            return try await self.check(request, declared: declared, then: next)
        }
        return try await self.respond(next: next, request: request)
    }

    /// Collects the body (or drains an oversized form), checks the token, and answers.
    private func check(_ request: Request, declared: Int, then next: any AsyncResponder) async throws -> Response {
        // The token is in the body, so a streamed body (a large upload) is collected first, up to the route's
        // own limit.
        if request.body.data == nil {
            let limit = request.route?.uploadLimit ?? request.application.routes.defaultMaxBodySize.value
            if declared > limit, declared <= Self.drainedAtMost, request.route?.keepsTextOfOversizedForms == true {
                // Too large for the route, but a form whose text the route keeps: drained, head and tail kept.
                request.storage[OversizedForm.Key.self] = try await OversizedForm.drain(request, size: declared)
            } else {
                _ = try await request.body.collect(max: limit).get()
            }
        }
        let sent: String
        if let boundary = MultipartTextField.boundary(of: request.headers.contentType),
            let body = request.body.data ?? request.oversizedForm?.head
        {
            // Read from the raw bytes: decoding the files only to find the token would cost seconds per upload.
            sent = MultipartTextField.value(named: Self.fieldName, in: body, boundary: boundary) ?? ""
        } else {
            sent = (try? request.content.get(String.self, at: Self.fieldName)) ?? ""
        }
        guard let expected = Self.expectedToken(for: request), !sent.isEmpty,
            SecureToken.constantTimeEquals(sent, expected)
        else {
            throw PageError(status: .forbidden, messageKey: "error.csrf", arguments: [])
        }
        return try await self.respond(next: next, request: request)
    }

    private func respond(next: any AsyncResponder, request: Request) async throws -> Response {
        let response = try await next.respond(to: request)
        if let fresh = request.storage[FreshAnonymousToken.self] {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: fresh, path: "/", isSecure: request.application.config.servesOverTLS, isHTTPOnly: true,
                sameSite: .strict)
        }
        return response
    }

    /// The largest body drained to keep a form's text; larger ones get the plain 413 (and lose the connection).
    static let drainedAtMost = 256 * 1024 * 1024

    private static func expectedToken(for request: Request) -> String? {
        if let user = request.sessionUser { return user.session.csrfToken }
        return request.cookies[Self.cookieName]?.string
    }

    struct FreshAnonymousToken: StorageKey {
        typealias Value = String
    }
}

extension Request {
    /// The token a form rendered for this request must carry back.
    var csrfToken: String {
        self.rendersPersonalContent = true
        if let user = self.sessionUser { return user.session.csrfToken }
        if let fresh = self.storage[CSRFProtection.FreshAnonymousToken.self] { return fresh }
        if let existing = self.cookies[CSRFProtection.cookieName]?.string, !existing.isEmpty { return existing }
        let fresh = SecureToken.make()
        self.storage[CSRFProtection.FreshAnonymousToken.self] = fresh
        return fresh
    }
}
