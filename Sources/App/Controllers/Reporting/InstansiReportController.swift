import Fluent
import StranasCore
import Vapor

/// `/laporan`: an instansi's report of one triwulan: every target it has then, with the state of its line. The Unit
/// Teknis sees what is due and when; Admin Instansi and the Focal Point see what is complete, missing, waiting for
/// their review or returned, and the Focal Point chooses reviewed lines to check and submit (`ReportSubmissionController`).
struct InstansiReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewInstansiReport).get(SiteURL.instansiReport, use: self.show)
    }

    struct Row: Encodable {
        let targetID: Int
        let aksiNumber: Int
        let indicatorCode: String
        let description: String
        let target: String
        let unit: String
        let state: String
        let stateKey: String
        let capaian: String
        let timeliness: String?
        let isSelectable: Bool
    }

    struct ReportPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let instansiName: String
        let cycleCode: String
        let triwulanNumber: Int
        let triwulanLabel: String
        let opensOn: String
        let dueOn: String
        let locksOn: String
        let isLocked: Bool
        let triwulanOptions: [SelectOption]
        let cycleOptions: [SelectOption]
        let rows: [Row]
        let hasRows: Bool
        let summary: String
        let canSubmit: Bool
        let readyCount: Int
        let notice: String?
        /// After a submission: how many lines went to Setnas, for the confirmation panel.
        let submittedCount: Int?
        let checkURL: String
        let errors: [String]
        let hasErrors: Bool
        /// The spreadsheet round trip, while some lines are open: everyone here may download them, a Unit Teknis
        /// upload them back.
        let hasOpenLines: Bool
        let downloadURL: String
        let uploadURL: String
        let canUpload: Bool
    }

    /// The triwulan shown: the one asked for, else the one whose window is open today, else the latest that opened.
    static func triwulan(of cycle: Cycle, request: Request) async throws -> Triwulan {
        let all = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$number)
            .all()
        if let number = try? request.query.get(Int.self, at: "triwulan") {
            guard let chosen = all.first(where: { $0.number == number }) else {
                throw PageError.badRequest("error.unknown_triwulan", String(number))
            }
            return chosen
        }
        return Self.reportingTriwulan(among: all, today: request.application.clock.today)
    }

    /// Of a cycle's triwulan (in order, not empty), the one whose window is open today, else the latest that opened.
    static func reportingTriwulan(among all: [Triwulan], today: CalendarDate) -> Triwulan {
        let number = ReportingCalendar.reportingTriwulan(
            windows: all.map { ($0.number, CalendarDate(iso: $0.opensOn)!, CalendarDate(iso: $0.locksOn)!) },
            today: today)
        return all.first { $0.number == number } ?? all[0]
    }

    @Sendable func show(request: Request) async throws -> Response {
        // After a spreadsheet upload: how many lines it changed.
        let updated = (try? request.query.get(Int.self, at: "diperbarui")).map {
            request.t("report.notice.updated_from_file", String($0))
        }
        let submitted = (try? request.query.get(Int.self, at: "diajukan")).flatMap { $0 > 0 ? $0 : nil }
        return try await Self.render(request, notice: updated, submittedCount: submitted, errors: [])
    }

    /// The report of the triwulan asked for, with a notice, a confirmation of a submission or errors above it.
    static func render(
        _ request: Request, notice: String? = nil, submittedCount: Int? = nil, errors: [String],
        status: HTTPStatus = .ok
    ) async throws
        -> Response
    {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID, let instansi = try await Instansi.find(instansiID, on: request.db)
        else { throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: []) }
        let cycle = try await CycleLookup.cycle(for: request)
        let triwulan = try await Self.triwulan(of: cycle, request: request)
        let desk = request.reportDesk
        let subjects = try await desk.subjects(instansiID: instansiID, triwulanID: triwulan.requireID())
        let format = request.displayFormat
        let isLocked = ReportWorkflow.isLocked(
            today: request.application.clock.today, locksOn: CalendarDate(iso: triwulan.locksOn)!, reopenedUntil: nil)
        let canSubmit = user.roles.contains(.focalPoint)
        let rows = subjects.map { subject -> Row in
            let line = subject.line
            // Only what the instansi's review approved may go to Setnas.
            let selectable = canSubmit && subject.state == .reviewed && !desk.isLocked(subject)
            return Row(
                targetID: subject.targetID, aksiNumber: subject.aksi.number,
                indicatorCode: subject.indicator.code, description: subject.indicator.description,
                target: format.number(subject.target.value), unit: subject.indicator.unit,
                state: request.t("report.state.\(subject.stateKey)"), stateKey: subject.stateKey,
                capaian: line?.capaian.map { format.number($0) } ?? "–",
                timeliness: line?.timeliness.map { request.t("report.timeliness.\($0.rawValue)") },
                isSelectable: selectable)
        }
        // Lines the instansi may still fill: what the spreadsheet download holds.
        let openLines = subjects.filter(desk.isOpen).count
        let counted = Dictionary(grouping: rows, by: \.stateKey).mapValues(\.count)
        let sent = (counted["submitted"] ?? 0) + (counted["accepted"] ?? 0)
        let missing = (counted["none"] ?? 0) + (counted["draft"] ?? 0)
        let triwulanRows = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
            .sort(\.$number).all()
        let published = try await Cycle.query(on: request.db).filter(\.$publishedAt != nil).sort(\.$startYear).all()
        let query = "periode=\(cycle.code)&triwulan=\(triwulan.number)"
        let page = ReportPage(
            page: PageContext(request: request, title: request.t("report.instansi_title"), cycle: cycle),
            csrfToken: request.csrfToken, instansiName: instansi.name, cycleCode: cycle.code,
            triwulanNumber: triwulan.number,
            triwulanLabel: request.triwulanLabel(number: triwulan.number, startYear: cycle.startYear),
            opensOn: format.date(CalendarDate(iso: triwulan.opensOn)!),
            dueOn: format.date(CalendarDate(iso: triwulan.dueOn)!),
            locksOn: format.date(CalendarDate(iso: triwulan.locksOn)!), isLocked: isLocked,
            triwulanOptions: triwulanRows.map {
                SelectOption(
                    value: String($0.number),
                    label: request.triwulanLabel(number: $0.number, startYear: cycle.startYear),
                    selected: $0.number == triwulan.number)
            },
            cycleOptions: published.map {
                SelectOption(value: $0.code, label: $0.code, selected: $0.code == cycle.code)
            },
            rows: rows, hasRows: !rows.isEmpty,
            summary: request.t(
                "report.summary", String(rows.count), String(missing), String(counted["review"] ?? 0),
                String(counted["reviewed"] ?? 0), String(sent), String(counted["returned"] ?? 0)),
            canSubmit: canSubmit && rows.contains(where: \.isSelectable),
            readyCount: rows.filter(\.isSelectable).count, notice: notice, submittedCount: submittedCount,
            checkURL: "\(SiteURL.instansiReportCheck())?\(query)",
            errors: errors, hasErrors: !errors.isEmpty, hasOpenLines: openLines > 0,
            downloadURL: "\(SiteURL.reportLinesFile())?\(query)",
            uploadURL: "\(SiteURL.reportLinesUpload())?\(query)",
            canUpload: user.permissions.contains(.fillReportLines) && openLines > 0)
        return try await request.view.render("report-lines", page).encodeResponse(status: status, for: request)
    }
}
