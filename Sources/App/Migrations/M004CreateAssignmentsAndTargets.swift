import Fluent
import SQLKit

struct M004CreateAssignmentsAndTargets: AsyncMigration {
    var name: String { "004-create-pelaksana-and-targets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pelaksana")
            .field("id", .int, .identifier(auto: true))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("aksi_id", .int, .required, .references("aksi", "id", onDelete: .cascade))
            .field("output_id", .int, .references("outputs", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .create()
        try await database.schema("targets")
            .field("id", .int, .identifier(auto: true))
            .field("indicator_id", .int, .required, .references("indicators", "id", onDelete: .cascade))
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .cascade))
            .field("triwulan_id", .int, .required, .references("triwulan", "id", onDelete: .cascade))
            .field("value", .double, .required)
            .field("description", .string)
            .unique(on: "indicator_id", "instansi_id", "triwulan_id")
            .create()

        // The instansi page reads assignments and targets by instansi; the unique keys above do not lead with it.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "pelaksana_aksi_id_idx").on("pelaksana").column("aksi_id").run()
        try await sql.create(index: "pelaksana_instansi_id_idx").on("pelaksana").column("instansi_id").run()
        try await sql.create(index: "targets_instansi_id_idx").on("targets").column("instansi_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("targets").delete()
        try await database.schema("pelaksana").delete()
    }
}
