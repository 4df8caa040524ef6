import Fluent
import Foundation

/// A key an Admin Instansi made for one of the instansi's own systems. The key itself is shown once and never stored;
/// `tokenHash` finds it, `prefix` lets people tell keys apart. It acts for its instansi only, and not at all once
/// revoked.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "instansi_id") var instansi: Instansi
    /// What the key is for, in its maker's words ("SIMONEV Dinas Kominfo").
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the key, shown in the list.
    @Field(key: "prefix") var prefix: String
    @OptionalParent(key: "created_by") var creator: User?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// Why the key was revoked when no one pressed "Cabut": `creator_deactivated`.
    @OptionalField(key: "revoked_because") var revokedBecause: String?

    init() {}

    /// Every key starts with this, so that a leaked one is easy to recognise (and to search for in code).
    static let keyPrefix = "jst_"

    /// A new key and its row; the key is returned to be shown once.
    static func make(name: String, instansiID: Int, creatorID: Int?, now: Date) -> (key: String, token: APIToken) {
        let key = Self.keyPrefix + SecureToken.make()
        let token = APIToken()
        token.$instansi.id = instansiID
        token.name = name
        token.tokenHash = SecureToken.hash(key)
        token.prefix = String(key.prefix(Self.keyPrefix.count + 6))
        token.$creator.id = creatorID
        token.createdAt = now
        return (key, token)
    }
}
