import Fluent
import StranasCore

/// A cycle's reporting deadlines by triwulan number, as Setnas set them: whether a triwulan's results are due yet
/// (`ReportingCalendar.isDue`) and the day they are. The dashboard and the instansi scorecard read them once a page.
struct TriwulanDeadlines {
    let dueOn: [Int: CalendarDate]

    init(_ schedule: [Triwulan]) {
        self.dueOn = Dictionary(
            schedule.compactMap { row in CalendarDate(iso: row.dueOn).map { (row.number, $0) } },
            uniquingKeysWith: { first, _ in first })
    }

    static func load(cycleID: Int, on database: any Database) async throws -> TriwulanDeadlines {
        TriwulanDeadlines(try await Triwulan.query(on: database).filter(\.$cycle.$id == cycleID).all())
    }

    /// Whether the results of triwulan `number` are due on `today`; a triwulan without a stored deadline is.
    func isDue(_ number: Int, today: CalendarDate) -> Bool {
        self.dueOn[number].map { ReportingCalendar.isDue(dueOn: $0, today: today) } ?? true
    }
}
