import Fluent

/// One event in an instansi's history: created, renamed, deactivated, merged, split. Kept for good, and shown on the
/// public instansi page, so that the plan's older cycles still say who was who.
final class InstansiChange: Model, @unchecked Sendable {
    static let schema = "instansi_changes"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case created
        case renamed
        case deactivated
        /// This instansi was merged into `other`, and ended.
        case mergedInto = "merged_into"
        /// `other` was merged into this one.
        case absorbed
        /// This instansi was formed by splitting `other`.
        case splitFrom = "split_from"
        /// `other` was formed by splitting this one.
        case splitInto = "split_into"
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "instansi_id") var instansi: Instansi
    @Enum(key: "kind") var kind: Kind
    @OptionalParent(key: "other_instansi_id") var other: Instansi?
    /// For a rename: the name before it.
    @OptionalField(key: "old_name") var oldName: String?
    /// The day it took effect (ISO date, Jakarta).
    @Field(key: "on_date") var onDate: String
    @OptionalField(key: "note") var note: String?

    init() {}

    init(instansiID: Int, kind: Kind, otherID: Int? = nil, oldName: String? = nil, onDate: String, note: String?) {
        self.$instansi.id = instansiID
        self.kind = kind
        self.$other.id = otherID
        self.oldName = oldName
        self.onDate = onDate
        self.note = note
    }
}
