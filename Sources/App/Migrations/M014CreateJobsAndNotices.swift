import Fluent
import SQLKit

/// Background work and what it tells people: the job table the runners claim from, in-app notices, the keys that
/// make each reminder one, e-mail opt-outs, and what the outbox needs to deliver mail (an HTML body, a sealed public
/// recipient, the delivery state) and each user's language.
struct M014CreateJobsAndNotices: AsyncMigration {
    var name: String { "014-create-jobs-and-notices" }

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            // Work that must exist once (a scan of one time slot, the notice of one event) names itself here.
            .field("dedupe_key", .string)
            .field("state", .string, .required)
            .field("run_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("locked_by", .string)
            .field("locked_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "dedupe_key")
            .create()
        try await database.schema("notices")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("topic", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await database.schema("notice_keys")
            .field("key", .string, .identifier(auto: false))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("mail_opt_outs")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("topic", .string, .required)
            .unique(on: "user_id", "topic")
            .create()
        // One column per statement: SQLite adds one at a time.
        try await database.schema("mail_outbox").field("html_body", .string).update()
        try await database.schema("mail_outbox").field("sealed_recipient", .data).update()
        try await database.schema("mail_outbox").field("last_error", .string).update()
        try await database.schema("users")
            .field("language", .string, .required, .sql(.default("id")))
            .update()

        let sql = database as! any SQLDatabase
        try await sql.create(index: "jobs_state_run_at_idx").on("jobs").column("state").column("run_at").run()
        try await sql.create(index: "notices_user_id_read_at_idx").on("notices").column("user_id").column("read_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("language").update()
        for column in ["html_body", "sealed_recipient", "last_error"] {
            try await database.schema("mail_outbox").deleteField(.key(.init(stringLiteral: column))).update()
        }
        for table in ["mail_opt_outs", "notice_keys", "notices", "jobs"] {
            try await database.schema(table).delete()
        }
    }
}
