import Fluent

/// A corruption-prevention action (Aksi PK). Its number is unique within the cycle and is its public key.
final class Aksi: Model, @unchecked Sendable {
    static let schema = "aksi"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "fokus_id") var fokus: Fokus
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String

    @Children(for: \.$aksi) var outputs: [PlanOutput]

    init() {}

    init(cycleID: Int, fokusID: Int, number: Int, title: String) {
        self.$cycle.id = cycleID
        self.$fokus.id = fokusID
        self.number = number
        self.title = title
    }
}
