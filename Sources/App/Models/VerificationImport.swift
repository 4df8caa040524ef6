import Fluent
import Foundation

/// A verifikator's decided spreadsheet of waiting lines (`VerificationFile`), uploaded and previewed, waiting to be
/// applied. Only the verifikator who uploaded it sees and applies it.
final class VerificationImport: Model, @unchecked Sendable {
    static let schema = "verification_imports"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "file_name") var fileName: String
    @Field(key: "content") var content: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "applied_at") var appliedAt: Date?

    init() {}

    init(userID: Int, fileName: String, content: String, now: Date) {
        self.$user.id = userID
        self.fileName = fileName
        self.content = content
        self.createdAt = now
    }
}
