import Fluent
import SQLKit

struct M008AuditLogAndHistory: AsyncMigration {
    var name: String { "008-audit-log-instansi-history-predecessors" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("id", .int, .identifier(auto: true))
            .field("seq", .int, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .int)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("detail", .string, .required)
            .field("reason", .string)
            .field("is_public", .bool, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()

        try await database.schema("instansi")
            .field("is_active", .bool, .required, .sql(.default(true)))
            .update()
        try await database.schema("instansi_changes")
            .field("id", .int, .identifier(auto: true))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("other_instansi_id", .int, .references("instansi", "id", onDelete: .setNull))
            .field("old_name", .string)
            .field("on_date", .string, .required)
            .field("note", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "instansi_changes_instansi_id_idx")
            .on("instansi_changes").column("instansi_id").run()

        try await database.schema("indicators")
            .field("predecessor_id", .int, .references("indicators", "id", onDelete: .setNull))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicators").deleteField("predecessor_id").update()
        try await database.schema("instansi_changes").delete()
        try await database.schema("instansi").deleteField("is_active").update()
        try await database.schema("audit_log").delete()
    }
}
