import Fluent
import StranasCore

/// One quarter of a cycle and its reporting window. Dates are calendar days stored as ISO `YYYY-MM-DD`.
final class Triwulan: Model, @unchecked Sendable {
    static let schema = "triwulan"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    /// 1...8 within the cycle.
    @Field(key: "number") var number: Int
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "opens_on") var opensOn: String
    @Field(key: "due_on") var dueOn: String
    @Field(key: "locks_on") var locksOn: String

    init() {}

    init(cycleID: Int, schedule: TriwulanSchedule) {
        self.$cycle.id = cycleID
        self.number = schedule.number
        self.startsOn = schedule.startsOn.iso
        self.endsOn = schedule.endsOn.iso
        self.opensOn = schedule.opensOn.iso
        self.dueOn = schedule.dueOn.iso
        self.locksOn = schedule.locksOn.iso
    }
}
