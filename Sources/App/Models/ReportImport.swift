import Fluent
import Foundation

/// A spreadsheet of an instansi's triwulan lines that a Unit Teknis has uploaded and previewed, waiting to be applied.
/// Only the person who uploaded it sees and applies it.
final class ReportImport: Model, @unchecked Sendable {
    static let schema = "report_imports"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "instansi_id") var instansi: Instansi
    @Parent(key: "triwulan_id") var triwulan: Triwulan
    @Parent(key: "user_id") var user: User
    @Field(key: "file_name") var fileName: String
    @Field(key: "content") var content: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "applied_at") var appliedAt: Date?

    init() {}

    init(instansiID: Int, triwulanID: Int, userID: Int, fileName: String, content: String, now: Date) {
        self.$instansi.id = instansiID
        self.$triwulan.id = triwulanID
        self.$user.id = userID
        self.fileName = fileName
        self.content = content
        self.createdAt = now
    }
}
