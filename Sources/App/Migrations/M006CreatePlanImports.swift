import Fluent

struct M006CreatePlanImports: AsyncMigration {
    var name: String { "006-create-plan-imports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("plan_imports")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("content", .string, .required)
            .field("created_at", .datetime, .required)
            .field("applied_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_imports").delete()
    }
}
