import Fluent
import Foundation

/// A reporting cycle (periode) of the plan, such as 2021-2022: two calendar years, eight triwulan.
final class Cycle: Model, @unchecked Sendable {
    static let schema = "cycles"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The cycle's public key, e.g. "2021-2022".
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "start_year") var startYear: Int
    /// Set when the plan is not the official logframe (the demo plan is reconstructed from public reporting);
    /// every page of the cycle shows it.
    @OptionalField(key: "provenance_note") var provenanceNote: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// When the plan was published. Until then it is a draft: freely editable and not shown to the public. After it,
    /// the structure is frozen and targets change only by revisions with a reason.
    @OptionalField(key: "published_at") var publishedAt: Date?

    var isPublished: Bool { self.publishedAt != nil }

    @Children(for: \.$cycle) var triwulan: [Triwulan]
    @Children(for: \.$cycle) var fokus: [Fokus]

    init() {}

    /// The cycle with a public code such as "2021-2022", if there is one.
    static func find(code: String, on database: any Database) async throws -> Cycle? {
        try await Cycle.query(on: database).filter(\.$code == code).first()
    }

    init(id: Int? = nil, code: String, name: String, startYear: Int, provenanceNote: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.startYear = startYear
        self.provenanceNote = provenanceNote
    }
}
