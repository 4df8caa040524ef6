import Fluent

/// Usulan perbaikan and pertanyaan: what the public proposes and asks, moderated by Setnas and answered by the
/// instansi. The optional e-mail address (for a reply notice) is sealed; the rest is meant to become public.
struct M013CreatePublicInputs: AsyncMigration {
    var name: String { "013-create-public-inputs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("public_inputs")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("instansi_id", .int, .required, .references("instansi", "id", onDelete: .restrict))
            .field("aksi_id", .int, .references("aksi", "id", onDelete: .restrict))
            .field("target_id", .int, .references("targets", "id", onDelete: .restrict))
            .field("author", .string, .required)
            .field("email", .data)
            .field("body", .string, .required)
            .field("created_on", .string, .required)
            .field("moderated_on", .string)
            .field("moderation_note", .string)
            .field("duplicate_of", .int, .references("public_inputs", "id", onDelete: .setNull))
            .field("answer", .string)
            .field("answered_on", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("public_inputs").delete()
    }
}
