/// A day in the Indonesian civil calendar, without a time or a time zone.
///
/// Reporting windows are set in days ("due 15 April"), so they are stored and compared as days. Keeping them
/// apart from `Date` avoids a deadline moving by a day when a server runs in another time zone.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the ISO 8601 form `YYYY-MM-DD`, the form in which dates are stored.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var iso: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(self.year, 4))-\(pad(self.month, 2))-\(pad(self.day, 2))"
    }

    public var description: String { self.iso }

    /// The last day of this date's month.
    public var endOfMonth: CalendarDate {
        CalendarDate(year: self.year, month: self.month, day: CalendarDate.daysIn(month: self.month, year: self.year))!
    }

    /// The first day of the month `count` months after this date's month (negative counts go back).
    public func firstOfMonth(adding count: Int) -> CalendarDate {
        let zeroBased = self.year * 12 + (self.month - 1) + count
        return CalendarDate(year: zeroBased / 12, month: zeroBased % 12 + 1, day: 1)!
    }

    /// The day `count` days after this one (negative counts go back).
    public func adding(days count: Int) -> CalendarDate {
        var result = self
        var remaining = count
        while remaining > 0 {
            let last = CalendarDate.daysIn(month: result.month, year: result.year)
            let step = min(remaining, last - result.day + 1)
            if result.day + step > last {
                result = result.firstOfMonth(adding: 1)
            } else {
                result = CalendarDate(year: result.year, month: result.month, day: result.day + step)!
            }
            remaining -= step
        }
        while remaining < 0 {
            let step = min(-remaining, result.day)
            if result.day - step < 1 {
                let previous = result.firstOfMonth(adding: -1)
                result = previous.endOfMonth
            } else {
                result = CalendarDate(year: result.year, month: result.month, day: result.day - step)!
            }
            remaining += step
        }
        return result
    }

    /// Days since 1 January 1970 (negative before it), for weekdays and distances between days.
    public var daysSinceEpoch: Int {
        let year = self.month <= 2 ? self.year - 1 : self.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * ((self.month + 9) % 12) + 2) / 5 + self.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return CalendarDate.isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
}
