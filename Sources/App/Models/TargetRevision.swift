import Fluent
import Foundation

/// A change to a target of a published cycle: the old and new value, who changed it, when, and the written reason.
/// Revisions are history, not edits: they are never changed or deleted, and the public sees them.
final class TargetRevision: Model, @unchecked Sendable {
    static let schema = "target_revisions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "indicator_id") var indicator: Indicator
    @Parent(key: "instansi_id") var instansi: Instansi
    @Parent(key: "triwulan_id") var triwulan: Triwulan
    /// Nil when the target did not exist before.
    @OptionalField(key: "old_value") var oldValue: Double?
    /// Nil when the target was removed.
    @OptionalField(key: "new_value") var newValue: Double?
    @Field(key: "reason") var reason: String
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "at") var at: Date

    init() {}

    init(
        indicatorID: Int, instansiID: Int, triwulanID: Int, oldValue: Double?, newValue: Double?, reason: String,
        userID: Int?, at: Date
    ) {
        self.$indicator.id = indicatorID
        self.$instansi.id = instansiID
        self.$triwulan.id = triwulanID
        self.oldValue = oldValue
        self.newValue = newValue
        self.reason = reason
        self.$user.id = userID
        self.at = at
    }
}
