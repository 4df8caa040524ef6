import Fluent
import SQLKit

/// What public pages need at national scale: the generations that keep the page cache precise
/// (`PageGenerations`), and the indexes that let each page's statements read only the rows they show (checked from
/// the query plans by `QueryBudgetTests`).
struct M018PagesAtScale: AsyncMigration {
    var name: String { "018-pages-at-scale" }

    func prepare(on database: any Database) async throws {
        try await database.schema("page_generations")
            .field("topic", .string, .identifier(auto: false))
            .field("generation", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        // An instansi's scores (its own and within each aksi), and an aksi's own.
        try await sql.create(index: "scores_cycle_scope_subject_idx").on("scores")
            .column("cycle_id").column("scope").column("subject_id").run()
        // One scope of a cycle at one triwulan in the open data API's order (which the index of M010 served only in
        // part): it replaces that index.
        try await sql.drop(index: "scores_cycle_scope_triwulan_idx").run()
        try await sql.create(index: "scores_cycle_scope_triwulan_voice_idx").on("scores")
            .column("cycle_id").column("scope").column("triwulan").column("voice").column("aksi_id")
            .column("subject_id").run()
        // No index leads with a target's triwulan: SQLite would then read a whole triwulan's targets where the
        // indexes by indicator and by instansi find the few a score refresh needs.
        // Every instansi's score within one aksi at one triwulan.
        try await sql.create(index: "scores_cycle_scope_aksi_idx").on("scores")
            .column("cycle_id").column("scope").column("aksi_id").column("triwulan").run()
        // The public's reports and input counted on an instansi's and an aksi's page.
        try await sql.create(index: "public_cases_instansi_idx").on("public_cases").column("instansi_id").run()
        try await sql.create(index: "public_inputs_instansi_idx").on("public_inputs").column("instansi_id").run()
        try await sql.create(index: "public_inputs_aksi_idx").on("public_inputs").column("aksi_id").run()
        // An instansi's target revisions.
        try await sql.create(index: "target_revisions_instansi_idx").on("target_revisions").column("instansi_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in [
            "target_revisions_instansi_idx", "public_inputs_aksi_idx", "public_inputs_instansi_idx",
            "public_cases_instansi_idx", "scores_cycle_scope_aksi_idx",
            "scores_cycle_scope_triwulan_voice_idx", "scores_cycle_scope_subject_idx",
        ] {
            try await sql.drop(index: index).run()
        }
        try await sql.create(index: "scores_cycle_scope_triwulan_idx").on("scores")
            .column("cycle_id").column("scope").column("triwulan").run()
        try await database.schema("page_generations").delete()
    }
}
