import Fluent
import Vapor

/// Writes the security log. Callers pass no secrets: the log holds who, when, from where, what and the outcome.
enum SecurityLog {
    static func record(
        _ kind: SecurityEvent.Kind, userID: Int?, actorID: Int? = nil, email: String? = nil, outcome: String,
        detail: String? = nil, on request: Request
    ) async throws {
        try await SecurityEvent(
            at: request.application.clock.now(), kind: kind, userID: userID, actorID: actorID, email: email,
            clientAddress: request.clientAddress, outcome: outcome, detail: detail
        ).create(on: request.db)
    }
}
