import Fluent
import Foundation
import SQLKit

struct M007PublishingAndRevisions: AsyncMigration {
    var name: String { "007-publishing-and-target-revisions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cycles").field("published_at", .datetime).update()
        // Cycles that existed before publishing did were all shown to the public; they stay shown.
        try await (database as! any SQLDatabase).update("cycles")
            .set("published_at", to: SQLBind(Date()))
            .run()

        try await database.schema("target_revisions")
            .field("id", .int, .identifier(auto: true))
            .field("indicator_id", .int, .required, .references("indicators", "id", onDelete: .cascade))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("triwulan_id", .int, .required, .references("triwulan", "id", onDelete: .cascade))
            .field("old_value", .double)
            .field("new_value", .double)
            .field("reason", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "target_revisions_indicator_id_idx")
            .on("target_revisions").column("indicator_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("target_revisions").delete()
        try await database.schema("cycles").deleteField("published_at").update()
    }
}
