import Foundation

/// How numbers and dates read in each language: "21,32" and "1.250" in Indonesian, "21.32" and "1,250" in English;
/// dates as "1 April 2021" in both, with the month named in the reader's language.
public struct DisplayFormat: Sendable {
    public let language: Language
    /// Month names, January first, in `language`.
    public let monthNames: [String]

    public init(language: Language, monthNames: [String]) {
        precondition(monthNames.count == 12, "a year has twelve months")
        self.language = language
        self.monthNames = monthNames
    }

    private var decimalSeparator: Character { self.language == .id ? "," : "." }
    private var groupingSeparator: Character { self.language == .id ? "." : "," }

    /// A share (0 to 1) as a percentage, "21,32%"; "–" when there is none.
    public func percent(_ fraction: Double?, maximumFractionDigits: Int = 2) -> String {
        fraction.map { self.number($0 * 100, maximumFractionDigits: maximumFractionDigits) + "%" } ?? "–"
    }

    /// A number with at most `maximumFractionDigits` decimals, trailing zeros dropped, thousands grouped. Total: every
    /// `Double` has a text ("–" for NaN and the infinities), however large, small or signed.
    public func number(_ value: Double, maximumFractionDigits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        let decimals = min(max(0, maximumFractionDigits), 6)
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole: String
        var fraction: String
        if scaled < 9_007_199_254_740_992 {
            // Below 2^53 every whole number is exact in a Double and fits a UInt64: plain integer arithmetic.
            let units = UInt64(scaled)
            let wholeUnits = units / UInt64(scale)
            whole = String(wholeUnits)
            fraction = String(units - wholeUnits * UInt64(scale))
            fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        } else {
            // Above it the decimals are noise and no integer type holds every value: printf's text of the whole part.
            whole = String(format: "%.0f", abs(value))
            fraction = ""
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }

        var grouped = ""
        for (offset, digit) in whole.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { grouped.append(self.groupingSeparator) }
            grouped.append(digit)
        }
        var text = String(grouped.reversed())
        if !fraction.isEmpty { text += String(self.decimalSeparator) + fraction }
        return (value < 0 && scaled > 0 ? "-" : "") + text
    }

    /// A number as a form's field holds it for editing: the reader's decimal separator, no thousands separators
    /// (`Quantity` reads none, since "1.250" could mean either), up to six decimals: "1250,5" in Indonesian.
    public func editable(_ value: Double) -> String {
        self.number(value, maximumFractionDigits: 6).filter { $0 != self.groupingSeparator }
    }

    /// "1 April 2021".
    public func date(_ date: CalendarDate) -> String {
        "\(date.day) \(self.monthNames[date.month - 1]) \(date.year)"
    }

    /// "1 – 15 April 2021", "1 Maret – 15 April 2021" or the full form when the years differ.
    public func dateRange(_ start: CalendarDate, _ end: CalendarDate) -> String {
        if start.year != end.year { return "\(self.date(start)) – \(self.date(end))" }
        if start.month != end.month {
            return "\(start.day) \(self.monthNames[start.month - 1]) – \(self.date(end))"
        }
        return "\(start.day) – \(self.date(end))"
    }

    /// "30 November 2026 14.05 WIB": a moment as a day and a 24-hour time in the given zone, which is named when it
    /// is one of Indonesia's three (WIB, WITA, WIT), else given as an offset.
    public func timestamp(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let separator = self.language == .id ? "." : ":"
        let offsetHours = timeZone.secondsFromGMT(for: date) / 3600
        let zone = [7: "WIB", 8: "WITA", 9: "WIT"][offsetHours] ?? "UTC\(offsetHours >= 0 ? "+" : "")\(offsetHours)"
        return "\(self.date(day)) \(pad(parts.hour!))\(separator)\(pad(parts.minute!)) \(zone)"
    }
}
