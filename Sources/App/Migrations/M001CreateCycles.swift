import Fluent

struct M001CreateCycles: AsyncMigration {
    var name: String { "001-create-cycles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cycles")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("start_year", .int, .required)
            .field("provenance_note", .string)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("triwulan")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("opens_on", .string, .required)
            .field("due_on", .string, .required)
            .field("locks_on", .string, .required)
            .unique(on: "cycle_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("triwulan").delete()
        try await database.schema("cycles").delete()
    }
}
