import Fluent

struct M003CreateInstansi: AsyncMigration {
    var name: String { "003-create-instansi" }

    func prepare(on database: any Database) async throws {
        try await database.schema("instansi")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("abbreviation", .string)
            .field("kl_category", .string)
            .field("province_code", .string)
            .field("iso_code", .string)
            .field("parent_id", .int, .references("instansi", "id", onDelete: .restrict))
            .field("seat", .string)
            .field("is_timnas_member", .bool, .required)
            .field("provenance", .string)
            .unique(on: "kind", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("instansi").delete()
    }
}
