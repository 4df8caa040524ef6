import Fluent

/// Verifikators' decided spreadsheets, kept from the preview until applied so that what is applied is exactly the
/// file previewed.
struct M022CreateVerificationImports: AsyncMigration {
    var name: String { "022-create-verification-imports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("verification_imports")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime, .required)
            .field("applied_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("verification_imports").delete()
    }
}
