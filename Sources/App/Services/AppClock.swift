import Foundation
import StranasCore
import Vapor

/// The app's source of "now". Tests swap in a fixed clock; everything that depends on the date asks this.
struct AppClock: Sendable {
    var now: @Sendable () -> Date
    /// Whether this clock tells the real time, so that the database's clock may stand in for it where nodes must
    /// agree (`JobQueue`). A fixed or shifted clock (tests, `JAGA_TODAY`) is the one time everything follows.
    var tellsRealTime = false

    static let system = AppClock(now: { Date() }, tellsRealTime: true)

    static func fixed(_ date: Date) -> AppClock { AppClock(now: { date }) }

    /// A clock that starts at 09:00 Jakarta time on `day` and runs on in real time (`JAGA_TODAY`).
    static func starting(on day: CalendarDate) -> AppClock {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.reportingTimeZone
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 9))!
        let origin = Date()
        return AppClock(now: { start.addingTimeInterval(Date().timeIntervalSince(origin)) })
    }

    /// Stranas PK deadlines are Western Indonesian Time days.
    static let reportingTimeZone = TimeZone(identifier: "Asia/Jakarta")!

    /// Today in Jakarta.
    var today: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AppClock.reportingTimeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: self.now())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension Application {
    private struct AppClockKey: StorageKey {
        typealias Value = AppClock
    }

    var clock: AppClock {
        get { self.storage[AppClockKey.self] ?? .system }
        set { self.storage[AppClockKey.self] = newValue }
    }
}

extension DisplayFormat {
    /// A moment in Jakarta time, the portal's reference time.
    func timestamp(_ date: Date) -> String {
        self.timestamp(date, in: AppClock.reportingTimeZone)
    }
}
