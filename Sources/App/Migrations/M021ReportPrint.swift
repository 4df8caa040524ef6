import Fluent

/// A published triwulan report's PDF, kept as a blob by its SHA-256 beside the JSON's, and the reason given when it
/// was published before its reporting window locked.
struct M021ReportPrint: AsyncMigration {
    var name: String { "021-report-print" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("result_snapshots").field("pdf_sha256", .string).update()
        try await database.schema("result_snapshots").field("early_reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["early_reason", "pdf_sha256"] {
            try await database.schema("result_snapshots").deleteField(.string(column)).update()
        }
    }
}
