import Fluent
import SQLKit

/// Keys with which an instansi's own systems use the reporting API: stored as a SHA-256 only, scoped to one
/// instansi, revocable, with the time of their last use.
struct M015CreateAPITokens: AsyncMigration {
    var name: String { "015-create-api-tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_by", .int, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "api_tokens_instansi_id_idx").on("api_tokens")
            .column("instansi_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}
