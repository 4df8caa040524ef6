import Fluent

/// The instansi's review as a decision of its own: who approved a line or sent it back, when, and the note of a
/// send-back. Lines already under review stay there, waiting for that decision.
struct M020InstansiReview: AsyncMigration {
    var name: String { "020-instansi-review" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("report_lines").field("reviewer", .string).update()
        try await database.schema("report_lines").field("reviewed_at", .datetime).update()
        try await database.schema("report_lines").field("review_note", .string).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["review_note", "reviewed_at", "reviewer"] {
            try await database.schema("report_lines").deleteField(.string(column)).update()
        }
    }
}
