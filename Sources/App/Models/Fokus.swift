import Fluent

/// A focus area of a cycle's plan, e.g. "Perizinan dan Tata Niaga".
final class Fokus: Model, @unchecked Sendable {
    static let schema = "fokus"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int

    @Children(for: \.$fokus) var aksi: [Aksi]

    init() {}

    init(cycleID: Int, code: String, name: String, position: Int) {
        self.$cycle.id = cycleID
        self.code = code
        self.name = name
        self.position = position
    }
}
