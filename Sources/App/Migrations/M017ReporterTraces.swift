import Fluent

/// What a reporter does leaves no time finer than the day: their audit entries wait, dated by the day, until the day
/// is over (`pending_audit_entries`, no time column); their attachments are sealed in the database instead of files
/// whose attributes would keep the moment (`public_case_files.sealed_content`); wrong receipt codes are counted in
/// memory, so the table that kept them with their time goes.
struct M017ReporterTraces: AsyncMigration {
    var name: String { "017-reporter-traces" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pending_audit_entries")
            .field("id", .int, .identifier(auto: true))
            .field("day", .string, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("detail", .string, .required)
            .field("notice_kind", .string)
            .field("notice_payload", .string)
            .field("notice_dedupe_key", .string)
            .create()
        try await database.schema("public_case_files").field("sealed_content", .data).update()
        try await database.schema("receipt_failures").delete()
        // Not about reporters, but of the same review: why a key was revoked (its creator deactivated, say).
        try await database.schema("api_tokens").field("revoked_because", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("revoked_because").update()
        try await database.schema("receipt_failures")
            .field("id", .int, .identifier(auto: true))
            .field("browser", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.schema("public_case_files").deleteField("sealed_content").update()
        try await database.schema("pending_audit_entries").delete()
    }
}
