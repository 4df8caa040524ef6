import Fluent

/// An output (sub-aksi) of an aksi: a deliverable with one or more indicators.
final class PlanOutput: Model, @unchecked Sendable {
    static let schema = "outputs"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "aksi_id") var aksi: Aksi
    /// e.g. "5.2": the aksi number, then the output's place in it.
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String
    @Field(key: "position") var position: Int

    @Children(for: \.$output) var indicators: [Indicator]

    init() {}

    init(aksiID: Int, code: String, title: String, position: Int) {
        self.$aksi.id = aksiID
        self.code = code
        self.title = title
        self.position = position
    }
}
