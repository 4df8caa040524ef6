import Fluent

struct M011CreateResultSnapshots: AsyncMigration {
    var name: String { "011-create-result-snapshots" }

    func prepare(on database: any Database) async throws {
        try await database.schema("result_snapshots")
            .field("id", .int, .identifier(auto: true))
            .field("cycle_id", .int, .required, .references("cycles", "id", onDelete: .restrict))
            .field("triwulan", .int, .required)
            .field("published_at", .datetime, .required)
            .field("published_by", .string, .required)
            .field("content", .string, .required)
            .field("sha256", .string, .required)
            .unique(on: "cycle_id", "triwulan")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("result_snapshots").delete()
    }
}
