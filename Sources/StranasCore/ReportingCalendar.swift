/// One triwulan of a two-year cycle and the window in which its progress is reported.
public struct TriwulanSchedule: Equatable, Sendable {
    /// 1...8 within the cycle.
    public let number: Int
    /// First and last day of the quarter being reported on.
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    /// Reporting opens, is due, and locks (read-only from then on, unless Setnas reopens a line).
    public let opensOn: CalendarDate
    public let dueOn: CalendarDate
    public let locksOn: CalendarDate

    /// The cycle's months (B01...B24) that this triwulan covers.
    public var months: ClosedRange<Int> { (self.number * 3 - 2)...(self.number * 3) }

    /// 1...4 within the calendar year.
    public var quarterOfYear: Int { (self.number - 1) % 4 + 1 }
}

/// The default reporting calendar of a Stranas PK cycle.
///
/// A cycle runs two calendar years, eight triwulan. Unless Setnas sets other dates, reporting for a quarter opens on
/// the first day of its last month, is due on the 15th of the month after it, and locks at the end of that month.
public enum ReportingCalendar {
    public static let triwulanPerCycle = 8
    public static let dueDayOfMonth = 15
    /// The years a cycle may start in.
    public static let startYears = 2000...2100

    /// A cycle's code: its two years, "2021-2022".
    public static func cycleCode(startYear: Int) -> String { "\(startYear)-\(startYear + 1)" }

    public static func defaultSchedule(startYear: Int) -> [TriwulanSchedule] {
        (1...self.triwulanPerCycle).map { number in
            let year = startYear + (number - 1) / 4
            let firstMonth = ((number - 1) % 4) * 3 + 1
            let startsOn = CalendarDate(year: year, month: firstMonth, day: 1)!
            let lastMonth = startsOn.firstOfMonth(adding: 2)
            let monthAfter = startsOn.firstOfMonth(adding: 3)
            return TriwulanSchedule(
                number: number,
                startsOn: startsOn,
                endsOn: lastMonth.endOfMonth,
                opensOn: lastMonth,
                dueOn: CalendarDate(year: monthAfter.year, month: monthAfter.month, day: self.dueDayOfMonth)!,
                locksOn: monthAfter.endOfMonth
            )
        }
    }

    /// Which cycle a page shows when none is asked for: the one running today, else the latest that has started,
    /// else the earliest. Cycles are given by their first and last day.
    /// The month code of a triwulan's last month within the cycle ("B03" for the first, "B24" for the eighth), as
    /// the published reports and their CSV name a point in time.
    public static func monthCode(ofTriwulan number: Int) -> String {
        let month = number * 3
        return month < 10 ? "B0\(month)" : "B\(month)"
    }

    /// The triwulan public pages show when none is asked for: the latest with reported results that has ended, and
    /// the first when none has ended. Quarters are calendar quarters (only reporting windows move), so which have
    /// ended needs no stored dates; in the days after a quarter ends its scores would be all zeros.
    public static func publicTriwulan(startYear: Int, latestReported: Int?, today: CalendarDate) -> Int {
        let ended = self.defaultSchedule(startYear: startYear).last { $0.endsOn < today }?.number ?? 1
        return min(latestReported ?? ended, ended)
    }

    /// Whether a triwulan's results are due: its reporting deadline has passed. Until then a score counts only the
    /// instansi that reported early, so the public pages say "not yet due" instead of a low number.
    public static func isDue(dueOn: CalendarDate, today: CalendarDate) -> Bool { today > dueOn }

    /// The triwulan an instansi's report page shows when none is asked for: the one whose window (opening to lock
    /// day) holds today, else the latest that has opened, else the first. `windows` are in triwulan order.
    public static func reportingTriwulan(
        windows: [(number: Int, opensOn: CalendarDate, locksOn: CalendarDate)], today: CalendarDate
    ) -> Int? {
        if let open = windows.first(where: { $0.opensOn <= today && today <= $0.locksOn }) { return open.number }
        return windows.last(where: { $0.opensOn <= today })?.number ?? windows.first?.number
    }

    public static func currentCycleIndex(
        of cycles: [(startsOn: CalendarDate, endsOn: CalendarDate)], today: CalendarDate
    )
        -> Int?
    {
        if let running = cycles.firstIndex(where: { $0.startsOn <= today && today <= $0.endsOn }) {
            return running
        }
        let started = cycles.indices.filter { cycles[$0].startsOn <= today }
        if let latest = started.max(by: { cycles[$0].startsOn < cycles[$1].startsOn }) {
            return latest
        }
        return cycles.indices.min(by: { cycles[$0].startsOn < cycles[$1].startsOn })
    }
}
