import Fluent

struct M002CreatePlanTree: AsyncMigration {
    var name: String { "002-create-plan-tree" }

    func prepare(on database: any Database) async throws {
        try await database.schema("fokus")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "cycle_id", "code")
            .create()
        try await database.schema("aksi")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .cascade))
            .field("fokus_id", .int, .required, .references("fokus", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("title", .string, .required)
            .unique(on: "cycle_id", "number")
            .create()
        try await database.schema("outputs")
            .field("id", .int, .identifier(auto: true))
            .field("aksi_id", .int, .required, .references("aksi", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("position", .int, .required)
            .unique(on: "aksi_id", "code")
            .create()
        try await database.schema("indicators")
            .field("id", .int, .identifier(auto: true))
            .field("output_id", .int, .required, .references("outputs", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("description", .string, .required)
            .field("unit", .string, .required)
            .field("kind", .string, .required)
            .field("weight", .double, .required)
            .field("final_target", .double, .required)
            .field("provenance", .string)
            .unique(on: "output_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["indicators", "outputs", "aksi", "fokus"] {
            try await database.schema(table).delete()
        }
    }
}
