import Fluent
import StranasCore
import Vapor

/// Finds the session of a request's cookie and ends it when it has run out: 30 minutes without a request, 12 hours
/// after sign-in, or at once when the account is no longer active. Runs on every request.
struct SessionLoader: AsyncMiddleware {
    static let cookieName = "jaga_session"
    static let idleTimeout: TimeInterval = 30 * 60
    static let absoluteTimeout: TimeInterval = 12 * 3600
    /// Last-seen times are written at most this often, so that reading pages does not write on every request.
    static let touchInterval: TimeInterval = 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var endedSession = false
        if let token = request.cookies[Self.cookieName]?.string, !token.isEmpty {
            endedSession = try await self.load(token: token, for: request) == false
        }
        let response = try await next.respond(to: request)
        if endedSession && response.cookies[Self.cookieName] == nil {
            response.cookies[Self.cookieName] = SessionCookie.expired(for: request)
        }
        return response
    }

    /// Loads the session into the request; false when the cookie named a session that no longer counts.
    private func load(token: String, for request: Request) async throws -> Bool {
        guard
            let session = try await UserSession.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user, { $0.with(\.$roleRows) })
                .first()
        else { return false }

        let now = request.application.clock.now()
        let idle = now.timeIntervalSince(session.lastSeenAt) > Self.idleTimeout
        let tooOld = now.timeIntervalSince(session.createdAt) > Self.absoluteTimeout
        guard !idle, !tooOld, session.user.status == .active else {
            try await session.delete(on: request.db)
            try await SecurityLog.record(
                .sessionExpired, userID: session.$user.id, outcome: idle ? "idle" : tooOld ? "absolute" : "inactive",
                on: request)
            return false
        }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            session.lastSeenAt = now
            try await session.save(on: request.db)
        }
        var signedIn = SignedInUser(user: session.user, roles: session.user.roles, session: session)
        if session.stage == .active {
            signedIn.unreadNotices = try await Notice.query(on: request.db).filter(\.$user.$id == session.$user.id)
                .filter(\.$readAt == nil).count()
        }
        request.sessionUser = signedIn
        return true
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when the portal is served over TLS; no Max-Age, so it ends
/// with the browser as well as on the server.
enum SessionCookie {
    static func make(token: String, for request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, path: "/", isSecure: request.application.config.servesOverTLS, isHTTPOnly: true,
            sameSite: .lax)
    }

    static func expired(for request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: request.application.config.servesOverTLS, isHTTPOnly: true, sameSite: .lax)
    }
}
