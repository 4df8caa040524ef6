import Fluent
import Foundation
import StranasCore

/// A person who signs in: an official of an instansi, or Setnas or Timnas staff.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    enum Status: String, Codable, Sendable, CaseIterable {
        /// Created with an invitation link that has not been used yet: cannot sign in.
        case invited
        case active
        /// Cannot sign in; every session ended when it was deactivated.
        case deactivated
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    /// Lower-cased; unique.
    @Field(key: "email") var email: String
    @Field(key: "position") var position: String
    @Enum(key: "status") var status: Status
    /// Nil for Setnas and Timnas accounts.
    @OptionalParent(key: "instansi_id") var instansi: Instansi?
    /// Bcrypt; nil until the invitation is accepted.
    @OptionalField(key: "password_hash") var passwordHash: String?
    /// Base32 TOTP secret, set once enrolment is confirmed.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// The last time step a TOTP code was accepted for, so that no code works twice.
    @OptionalField(key: "totp_last_counter") var totpLastCounter: Int64?
    /// Demo accounts of the embedded demo mode, which may skip TOTP enrolment there.
    @Field(key: "is_demo") var isDemo: Bool
    /// The language of their notices and e-mails: the one they last chose while signed in ("id" or "en").
    @Field(key: "language") var language: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Children(for: \.$user) var roleRows: [UserRole]

    init() {}

    init(name: String, email: String, position: String, status: Status, instansiID: Int?, isDemo: Bool = false) {
        self.name = name
        self.email = User.normalize(email: email)
        self.position = position
        self.status = status
        self.$instansi.id = instansiID
        self.isDemo = isDemo
        self.language = Language.id.rawValue
    }

    static func normalize(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The roles, once `roleRows` is loaded.
    var roles: Set<Role> { Set(self.roleRows.map(\.role)) }
}
