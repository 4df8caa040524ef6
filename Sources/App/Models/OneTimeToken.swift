import Fluent
import Foundation

/// An invitation or password-reset link: single use, expiring, stored only as a SHA-256 of the token in the link.
final class OneTimeToken: Model, @unchecked Sendable {
    static let schema = "one_time_tokens"

    enum Purpose: String, Codable, Sendable {
        case invitation
        case passwordReset = "password_reset"

        /// How long a link stays valid: 72 hours for an invitation, 1 hour for a reset.
        var lifetime: TimeInterval {
            switch self {
            case .invitation: 72 * 3600
            case .passwordReset: 3600
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Enum(key: "purpose") var purpose: Purpose
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(tokenHash: String, userID: Int, purpose: Purpose, now: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.purpose = purpose
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(purpose.lifetime)
    }
}
