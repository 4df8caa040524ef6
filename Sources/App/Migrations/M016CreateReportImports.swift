import Fluent

/// Spreadsheets of report lines that a Unit Teknis has uploaded and is previewing, kept until applied so that what is
/// applied is exactly the file previewed.
struct M016CreateReportImports: AsyncMigration {
    var name: String { "016-create-report-imports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("report_imports")
            .field("id", .int, .identifier(auto: true))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("triwulan_id", .int, .required, .references("triwulan", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime, .required)
            .field("applied_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_imports").delete()
    }
}
