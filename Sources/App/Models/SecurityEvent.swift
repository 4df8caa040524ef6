import Fluent
import Foundation

/// One line of the security log: a sign-in, a failure, a lock-out, an invitation, a role change, a deactivation.
/// Never holds a password, token or code.
final class SecurityEvent: Model, @unchecked Sendable {
    static let schema = "security_events"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case signIn = "sign_in"
        case signInFailed = "sign_in_failed"
        case secondFactorFailed = "second_factor_failed"
        case lockedOut = "locked_out"
        case signOut = "sign_out"
        case sessionExpired = "session_expired"
        case invitation
        case accountActivated = "account_activated"
        case passwordResetRequested = "password_reset_requested"
        case passwordChanged = "password_changed"
        case twoFactorEnrolled = "two_factor_enrolled"
        case recoveryCodeUsed = "recovery_code_used"
        case roleChange = "role_change"
        case deactivation
        case apiTokenCreated = "api_token_created"
        case apiTokenRevoked = "api_token_revoked"
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @Enum(key: "kind") var kind: Kind
    /// Whose account it concerns, when there is one.
    @OptionalField(key: "user_id") var userID: Int?
    /// Who did it, when someone else did (an admin inviting or deactivating).
    @OptionalField(key: "actor_id") var actorID: Int?
    /// The e-mail address given, for sign-in attempts on addresses that may not exist.
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "client_address") var clientAddress: String?
    /// `success`, `refused` or a short reason such as `bad_password`, `throttled`.
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "detail") var detail: String?

    init() {}

    init(
        at: Date, kind: Kind, userID: Int?, actorID: Int? = nil, email: String? = nil, clientAddress: String?,
        outcome: String, detail: String? = nil
    ) {
        self.at = at
        self.kind = kind
        self.userID = userID
        self.actorID = actorID
        self.email = email
        self.clientAddress = clientAddress
        self.outcome = outcome
        self.detail = detail
    }
}
