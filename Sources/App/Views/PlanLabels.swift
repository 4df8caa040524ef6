import StranasCore
import Vapor

/// Names of plan vocabulary in the reader's language, shared by the plan, aksi and instansi pages.
extension Request {
    func label(_ kind: InstansiKind) -> String { self.t("instansi.kind.\(kind.rawValue)") }

    func label(_ role: PelaksanaRole) -> String { self.t("role.\(role.rawValue)") }

    func label(_ kind: IndicatorKind) -> String { self.t("indicator.kind.\(kind.rawValue)") }

    /// "TW I 2021" in Indonesian, "Q1 2021" in English.
    func triwulanLabel(number: Int, startYear: Int) -> String {
        let quarter = (number - 1) % 4 + 1
        let year = startYear + (number - 1) / 4
        return self.t("triwulan.short", ["I", "II", "III", "IV"][quarter - 1], String(quarter), String(year))
    }
}

/// A column of a target table: one triwulan and the day its report is due.
struct TriwulanColumn: Encodable {
    let label: String
    let due: String

    static func columns(for triwulan: [Triwulan], startYear: Int, request: Request) -> [TriwulanColumn] {
        let format = request.displayFormat
        return triwulan.sorted { $0.number < $1.number }.map {
            TriwulanColumn(
                label: request.triwulanLabel(number: $0.number, startYear: startYear),
                due: CalendarDate(iso: $0.dueOn).map(format.date) ?? $0.dueOn)
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
