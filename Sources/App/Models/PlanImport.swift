import Fluent
import Foundation

/// A plan CSV that Admin Setnas has uploaded and previewed, waiting to be applied. Keeping the checked file on the
/// server means the plan applied is exactly the one previewed, and nothing has to be uploaded twice.
final class PlanImport: Model, @unchecked Sendable {
    static let schema = "plan_imports"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "user_id") var user: User
    @Field(key: "file_name") var fileName: String
    @Field(key: "content") var content: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "applied_at") var appliedAt: Date?

    init() {}

    init(cycleID: Int, userID: Int, fileName: String, content: String, now: Date) {
        self.$cycle.id = cycleID
        self.$user.id = userID
        self.fileName = fileName
        self.content = content
        self.createdAt = now
    }
}
