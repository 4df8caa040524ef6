import Fluent
import StranasCore
import Vapor

extension Request {
    /// The triwulan a page shows: the one asked for, else the latest with reported results (a claim has reached
    /// Setnas) that has ended. The first days after a triwulan ends, its scores would be all zeros.
    func publicTriwulan(of cycle: Cycle) async throws -> Int {
        if let requested = try self.requestedTriwulan() { return requested }
        self.shows(.shownTriwulan)
        let reported = try await ScoreRow.query(on: self.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$scope == .national).filter(\.$voice == .selfReported).filter(\.$score > 0)
            .sort(\.$triwulan, .descending).first()
        return ReportingCalendar.publicTriwulan(
            startYear: cycle.startYear, latestReported: reported?.triwulan, today: self.application.clock.today)
    }

    /// The `triwulan` query parameter, when there is one; a number outside the cycle is a 400 page.
    func requestedTriwulan() throws -> Int? {
        guard let number = try? self.query.get(Int.self, at: "triwulan") else { return nil }
        guard (1...ReportingCalendar.triwulanPerCycle).contains(number) else {
            throw PageError.badRequest("error.unknown_triwulan", String(number))
        }
        return number
    }
}
