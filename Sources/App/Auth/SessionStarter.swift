import Fluent
import Vapor

/// Starts and ends sessions. Every start issues a new session id, replacing whatever session the browser had, so a
/// session id fixed before sign-in is worthless after it.
enum SessionStarter {
    static func start(
        for user: User, stage: UserSession.Stage, request: Request, response: Response
    ) async throws {
        try await self.endCurrent(request: request)
        let token = SecureToken.make()
        let session = UserSession(
            tokenHash: SecureToken.hash(token), userID: try user.requireID(), stage: stage,
            csrfToken: SecureToken.make(), now: request.application.clock.now())
        try await session.create(on: request.db)
        response.cookies[SessionLoader.cookieName] = SessionCookie.make(token: token, for: request)
    }

    /// Ends the request's session on the server.
    static func endCurrent(request: Request) async throws {
        if let session = request.sessionUser?.session {
            try await session.delete(on: request.db)
        }
    }

    /// Ends every session of a user, e.g. on deactivation or a password change.
    static func endAll(userID: Int, on database: any Database) async throws {
        try await UserSession.query(on: database).filter(\.$user.$id == userID).delete()
    }
}
