import Fluent

/// Laporan penyimpangan: the case, its conversation, its attachments (sealed files in the data directory, their
/// names sealed here), the two-person reveals of a reporter's contact, and the failed receipt-code lookups that
/// throttle guessing.
/// The body, the contact and every message are sealed (AES-GCM); no column holds a client address or user agent, and
/// what the reporter does is dated by the day only.
struct M012CreatePublicCases: AsyncMigration {
    var name: String { "012-create-public-cases" }

    func prepare(on database: any Database) async throws {
        try await database.schema("public_cases")
            .field("id", .int, .identifier(auto: true))
            .field("receipt_hash", .string, .required)
            .field("state", .string, .required)
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .restrict))
            .field("aksi_id", .int, .references("aksi", "id", onDelete: .restrict))
            .field("target_id", .int, .references("targets", "id", onDelete: .restrict))
            .field("body", .data, .required)
            .field("contact", .data)
            .field("created_on", .string, .required)
            .field("forwarded_on", .string)
            .field("due_on", .string)
            .field("answered_on", .string)
            .field("closed_on", .string)
            .field("reopened", .bool, .required)
            .field("version", .int, .required)
            .unique(on: "receipt_hash")
            .create()
        try await database.schema("public_case_messages")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("public_cases", "id", onDelete: .cascade))
            .field("author", .string, .required)
            .field("user_id", .int, .references("users", "id", onDelete: .setNull))
            .field("action", .string)
            .field("body", .data, .required)
            .field("on_date", .string, .required)
            .create()
        try await database.schema("public_case_files")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("public_cases", "id", onDelete: .cascade))
            .field("stored_name", .string, .required)
            .field("name", .data, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .unique(on: "stored_name")
            .create()
        try await database.schema("contact_reveals")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("public_cases", "id", onDelete: .cascade))
            .field("recipient_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("requested_by", .int, .required, .references("users", "id", onDelete: .restrict))
            .field("reason", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("approved_by", .int, .references("users", "id", onDelete: .restrict))
            .field("approved_at", .datetime)
            .create()
        try await database.schema("receipt_failures")
            .field("id", .int, .identifier(auto: true))
            .field("browser", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("receipt_failures").delete()
        try await database.schema("contact_reveals").delete()
        try await database.schema("public_case_files").delete()
        try await database.schema("public_case_messages").delete()
        try await database.schema("public_cases").delete()
    }
}
