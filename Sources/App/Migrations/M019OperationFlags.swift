import Fluent

/// Switches an operator sets for the whole portal, shared by every node: `background.paused` (`BackgroundPause`).
struct M019OperationFlags: AsyncMigration {
    var name: String { "019-operation-flags" }

    func prepare(on database: any Database) async throws {
        try await database.schema("operation_flags")
            .field("name", .string, .identifier(auto: false))
            .field("set_at", .datetime, .required)
            .field("note", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("operation_flags").delete()
    }
}
