import StranasCore
import Vapor

extension Request {
    /// A deadline as people say it, counted from today (Jakarta): "15 April 2021, 10 hari lagi", "…, hari ini",
    /// "…, lewat 3 hari".
    func deadline(_ due: CalendarDate) -> String {
        let days = due.daysSinceEpoch - self.application.clock.today.daysSinceEpoch
        let date = self.displayFormat.date(due)
        return switch days {
        case 2...: self.t("deadline.ahead", date, String(days))
        case 1: self.t("deadline.tomorrow", date)
        case 0: self.t("deadline.today", date)
        default: self.t("deadline.past", date, String(-days))
        }
    }
}
