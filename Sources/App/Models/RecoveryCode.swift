import Fluent
import Foundation

/// A single-use code that stands in for a TOTP code when the phone is lost. Stored as a SHA-256 only.
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userID: Int, codeHash: String) {
        self.$user.id = userID
        self.codeHash = codeHash
    }
}
