import Foundation

/// Indonesian working days: Monday to Friday, except the national holidays and cuti bersama of a list (the
/// government sets them each year, so the list is configuration, not code).
public struct WorkingCalendar: Equatable, Sendable {
    public let holidays: Set<CalendarDate>

    public init(holidays: Set<CalendarDate>) {
        self.holidays = holidays
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public static func weekday(of date: CalendarDate) -> Int {
        // 1970-01-01 was a Thursday (4).
        let days = date.daysSinceEpoch
        return ((days % 7 + 7) % 7 + 3) % 7 + 1
    }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        Self.weekday(of: date) <= 5 && !self.holidays.contains(date)
    }

    /// The last day of `count` working days counted from the day after `start`: a case forwarded on a Monday with 7
    /// working days to answer is due on the Wednesday of the next week, holidays moving it on.
    public func deadline(after start: CalendarDate, workingDays count: Int) -> CalendarDate {
        var day = start
        var remaining = count
        while remaining > 0 {
            day = day.adding(days: 1)
            if self.isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// How many working days lie after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(after start: CalendarDate, through end: CalendarDate) -> Int {
        var count = 0
        var day = start
        while day < end {
            day = day.adding(days: 1)
            if self.isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// Reads a holiday list: one ISO date per line, optionally followed by a comma and a name; `#` starts a comment.
    /// Returns the line numbers (from 1) of the lines that are not a date.
    public static func parse(_ text: String) -> (calendar: WorkingCalendar, badLines: [Int]) {
        var holidays = Set<CalendarDate>()
        var bad: [Int] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let field = line.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let field, !field.isEmpty else { continue }
            if let date = CalendarDate(iso: field) { holidays.insert(date) } else { bad.append(index + 1) }
        }
        return (WorkingCalendar(holidays: holidays), bad)
    }
}
