import Fluent
import StranasCore
import Vapor

/// Finds the cycle a public page shows: the one named by `?periode=`, else the current one.
enum CycleLookup {
    static let queryParameter = "periode"

    static func cycle(for request: Request) async throws -> Cycle {
        // Drafts are Setnas's work in progress; the public sees published cycles only.
        let cycles = try await Cycle.query(on: request.db).filter(\.$publishedAt != nil).sort(\.$startYear).all()
        if let requested = try? request.query.get(String.self, at: self.queryParameter) {
            guard let cycle = cycles.first(where: { $0.code == requested }) else {
                throw PageError.badRequest(
                    "error.unknown_cycle", String(requested.prefix(40)), cycles.map(\.code).joined(separator: ", "))
            }
            return cycle
        }
        guard let cycle = Self.current(among: cycles, today: request.application.clock.today)
        else { throw PageError.notFound("error.no_cycle") }
        return cycle
    }

    /// Of published cycles in order, the one running today, else the latest that started, else the first.
    static func current(among cycles: [Cycle], today: CalendarDate) -> Cycle? {
        let ranges = cycles.map { cycle in
            (
                startsOn: CalendarDate(year: cycle.startYear, month: 1, day: 1)!,
                endsOn: CalendarDate(year: cycle.startYear + 1, month: 12, day: 31)!
            )
        }
        return ReportingCalendar.currentCycleIndex(of: ranges, today: today).map { cycles[$0] }
    }
}
