import Fluent
import Foundation

/// A signed-in browser. Kept in the database so that any app instance can serve any request.
///
/// The cookie holds a random token; the table holds only its SHA-256, so a copy of the table signs nobody in.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "sessions"

    enum Stage: String, Codable, Sendable {
        /// Password accepted; a TOTP or recovery code is still needed.
        case needsSecondFactor = "needs_second_factor"
        /// Password accepted; the account must enrol a second factor before anything else.
        case needsEnrolment = "needs_enrolment"
        /// Fully signed in.
        case active
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Enum(key: "stage") var stage: Stage
    /// The synchronizer token every state-changing form of this session must send back.
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date

    init() {}

    init(tokenHash: String, userID: Int, stage: Stage, csrfToken: String, now: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.stage = stage
        self.csrfToken = csrfToken
        self.createdAt = now
        self.lastSeenAt = now
    }
}
