import StranasCore
import Vapor

/// Names of plan vocabulary in the reader's language, shared by the plan, aksi and instansi pages.
extension Request {
    func label(_ kind: InstansiKind) -> String { self.t("instansi.kind.\(kind.rawValue)") }

    func label(_ role: PelaksanaRole) -> String { self.t("role.\(role.rawValue)") }

    func label(_ kind: IndicatorKind) -> String { self.t("indicator.kind.\(kind.rawValue)") }

    /// "TW I 2021" in Indonesian, "Q1 2021" in English.
    func triwulanLabel(number: Int, startYear: Int) -> String {
        self.application.locales.triwulanLabel(number: number, startYear: startYear, self.language)
    }

    /// A triwulan as people say the moment its results describe: "akhir Maret 2021 (TW I)", "end of March 2021 (Q1)".
    func triwulanEnd(number: Int, startYear: Int) -> String {
        let quarter = (number - 1) % 4 + 1
        return self.t(
            "triwulan.end", self.displayFormat.monthNames[quarter * 3 - 1], String(startYear + (number - 1) / 4),
            ["I", "II", "III", "IV"][quarter - 1], String(quarter))
    }
}

extension LocaleCatalog {
    /// A triwulan of a cycle in `language`, also outside a request (notices, e-mails).
    func triwulanLabel(number: Int, startYear: Int, _ language: Language) -> String {
        let quarter = (number - 1) % 4 + 1
        let year = startYear + (number - 1) / 4
        return self.text(
            "triwulan.short", language, [["I", "II", "III", "IV"][quarter - 1], String(quarter), String(year)])
    }
}

/// A column of a target table: one triwulan.
struct TriwulanColumn: Encodable {
    let label: String

    /// The cycle's eight triwulan, in order.
    static func columns(startYear: Int, request: Request) -> [TriwulanColumn] {
        (1...ReportingCalendar.triwulanPerCycle).map {
            TriwulanColumn(label: request.triwulanLabel(number: $0, startYear: startYear))
        }
    }
}

/// One row of a cycle's reporting calendar: the quarter reported on and its reporting window.
struct ReportingWindowRow: Encodable {
    let label: String
    let period: String
    let opens: String
    let due: String
    let locks: String

    static func rows(for triwulan: [Triwulan], startYear: Int, request: Request) -> [ReportingWindowRow] {
        let format = request.displayFormat
        func day(_ iso: String) -> String { CalendarDate(iso: iso).map(format.date) ?? iso }
        return triwulan.sorted { $0.number < $1.number }.map { triwulan in
            let period =
                CalendarDate(iso: triwulan.startsOn).flatMap { start in
                    CalendarDate(iso: triwulan.endsOn).map { format.dateRange(start, $0) }
                } ?? "\(triwulan.startsOn) – \(triwulan.endsOn)"
            return ReportingWindowRow(
                label: request.triwulanLabel(number: triwulan.number, startYear: startYear), period: period,
                opens: day(triwulan.opensOn), due: day(triwulan.dueOn), locks: day(triwulan.locksOn))
        }
    }
}

/// One instansi's targets for one indicator, one cell per triwulan ("–" where it has none).
struct TargetRow: Encodable {
    let instansiID: Int
    let instansiName: String
    let role: String?
    let cells: [String]
}

/// One revision of a target, as the public reads it on the aksi and instansi pages: what changed, why and when.
struct TargetRevisionLine: Encodable {
    let change: String
    let reason: String
    let date: String
}
