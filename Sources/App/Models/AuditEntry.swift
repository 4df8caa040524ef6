import Fluent
import Foundation

/// One link of the audit log: who did what to which part of the plan, when, and why. Entries are only ever appended;
/// each one's hash covers its content and the previous entry's hash, so that changing or removing any entry breaks
/// every hash after it (`jaga audit verify`).
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// 1, 2, 3, … with no gaps: the entry's place in the chain.
    @Field(key: "seq") var sequence: Int
    /// Whole seconds, so that both databases give back exactly what was hashed.
    @Field(key: "at") var at: Date
    /// The account that acted; nil for the command line. Not hashed: accounts can be removed, the name stays.
    @OptionalField(key: "actor_id") var actorID: Int?
    /// Who acted, as shown: "Name <email>", or "baris perintah" for the command line. Stored details are in Indonesian,
    /// the portal's language of record.
    @Field(key: "actor") var actor: String
    /// What was done, a stable key such as "plan.import" (see `AuditAction`).
    @Field(key: "action") var action: String
    /// What it was done to, e.g. "2023-2024 indikator 5.2.1".
    @Field(key: "subject") var subject: String
    /// What changed, in lines a person can read.
    @Field(key: "detail") var detail: String
    /// The written reason, where the rules ask for one.
    @OptionalField(key: "reason") var reason: String?
    /// Whether the public audit page shows it: changes to published plans and to instansi are public; drafts are not.
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}
}
