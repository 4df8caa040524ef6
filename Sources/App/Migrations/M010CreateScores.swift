import Fluent
import SQLKit

struct M010CreateScores: AsyncMigration {
    var name: String { "010-create-scores-and-discipline" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scores")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("triwulan", .int, .required)
            .field("voice", .string, .required)
            .field("scope", .string, .required)
            .field("subject_id", .int, .required)
            .field("aksi_id", .int, .required)
            .field("score", .double, .required)
            .unique(on: "cycle_id", "triwulan", "voice", "scope", "subject_id", "aksi_id")
            .create()
        // Pages read one scope of one cycle (the nation over time, or all instansi at one triwulan).
        try await (database as! any SQLDatabase).create(index: "scores_cycle_scope_triwulan_idx").on("scores")
            .column("cycle_id").column("scope").column("triwulan").run()
        try await database.schema("discipline")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("scope", .string, .required)
            .field("subject_id", .int, .required)
            .field("due", .int, .required)
            .field("reported_by_due", .int, .required)
            .field("submitted", .int, .required)
            .field("on_time", .int, .required)
            .field("returns", .int, .required)
            .field("median_days", .double)
            .field("computed_on", .string, .required)
            .unique(on: "cycle_id", "scope", "subject_id")
            .create()
        try await database.schema("verification_times")
            .field("id", .int, .identifier(auto: true))
            .field("line_id", .int, .required, .references("report_lines", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("days", .double, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "verification_times_line_id_idx")
            .on("verification_times").column("line_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("verification_times").delete()
        try await database.schema("discipline").delete()
        try await database.schema("scores").delete()
    }
}
