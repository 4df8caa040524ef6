import Fluent
import SQLKit

struct M009CreateReporting: AsyncMigration {
    var name: String { "009-create-report-lines-versions-evidence" }

    func prepare(on database: any Database) async throws {
        try await database.schema("report_lines")
            .field("id", .int, .identifier(auto: true))
            .field("target_id", .int, .required, .references("targets", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("capaian", .double)
            .field("narasi", .string, .required)
            .field("kendala", .string, .required)
            .field("tindak_lanjut", .string, .required)
            .field("links", .string, .required)
            .field("version", .int, .required)
            .field("first_submitted_at", .datetime)
            .field("timeliness", .string)
            .field("verified_value", .double)
            .field("verification_note", .string)
            .field("verifikator_id", .int, .references("users", "id", onDelete: .setNull))
            .field("verified_at", .datetime)
            .field("reopened_until", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "target_id")
            .create()
        try await database.schema("report_versions")
            .field("id", .int, .identifier(auto: true))
            .field("line_id", .int, .required, .references("report_lines", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("action", .string, .required)
            .field("state", .string, .required)
            .field("capaian", .double)
            .field("narasi", .string, .required)
            .field("kendala", .string, .required)
            .field("tindak_lanjut", .string, .required)
            .field("links", .string, .required)
            .field("verified_value", .double)
            .field("note", .string)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("actor", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "line_id", "number")
            .create()
        try await database.schema("evidence_blobs")
            .field("sha256", .string, .identifier(auto: false))
            .field("size", .int, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("report_evidence")
            .field("id", .int, .identifier(auto: true))
            .field("version_id", .int, .required, .references("report_versions", "id", onDelete: .cascade))
            .field("sha256", .string, .required, .references("evidence_blobs", "sha256", onDelete: .restrict))
            .field("file_name", .string, .required)
            .field("is_public", .bool, .required)
            .create()
        try await database.schema("report_comments")
            .field("id", .int, .identifier(auto: true))
            .field("line_id", .int, .required, .references("report_lines", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("author", .string, .required)
            .field("body", .string, .required)
            .field("at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "report_versions_line_id_idx").on("report_versions").column("line_id").run()
        try await sql.create(index: "report_evidence_version_id_idx").on("report_evidence").column("version_id").run()
        try await sql.create(index: "report_comments_line_id_idx").on("report_comments").column("line_id").run()
        try await sql.create(index: "report_lines_state_idx").on("report_lines").column("state").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["report_comments", "report_evidence", "evidence_blobs", "report_versions", "report_lines"] {
            try await database.schema(table).delete()
        }
    }
}
