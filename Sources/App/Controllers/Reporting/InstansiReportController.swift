import Fluent
import StranasCore
import Vapor

/// `/laporan`: an instansi's report of one triwulan: every target it has then, with the state of its line. The Unit
/// Teknis sees what is due and when; Admin Instansi and the Focal Point see what is complete, missing or returned,
/// and the Focal Point submits lines to Setnas, chosen ones or all that are ready.
struct InstansiReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewInstansiReport).get(SiteURL.instansiReport, use: self.show)
        routes.requiring(.submitInstansiReport).post(SiteURL.instansiReportSubmit, use: self.submit)
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
        let number = ReportingCalendar.reportingTriwulan(
            windows: all.map { ($0.number, CalendarDate(iso: $0.opensOn)!, CalendarDate(iso: $0.locksOn)!) },
            today: request.application.clock.today)
        return all.first { $0.number == number } ?? all[0]
    }

    @Sendable func show(request: Request) async throws -> Response {
        // After a spreadsheet upload: how many lines it changed.
        let updated = (try? request.query.get(Int.self, at: "diperbarui")).map {
            request.t("report.notice.updated_from_file", String($0))
        }
        return try await self.render(request, notice: updated, errors: [])
    }

    private func render(
        _ request: Request, notice: String?, errors: [String], status: HTTPStatus = .ok
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
            let selectable =
                canSubmit && line?.capaian != nil && (subject.state == .draft || subject.state == .review)
                && !desk.isLocked(subject)
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
        let done = (counted["review"] ?? 0) + (counted["submitted"] ?? 0) + (counted["accepted"] ?? 0)
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
                "report.summary", String(rows.count), String(done), String(missing), String(counted["returned"] ?? 0)),
            canSubmit: canSubmit && rows.contains(where: \.isSelectable),
            readyCount: rows.filter { $0.isSelectable && $0.stateKey == "review" }.count, notice: notice,
            errors: errors, hasErrors: !errors.isEmpty, hasOpenLines: openLines > 0,
            downloadURL: "\(SiteURL.reportLinesFile())?\(query)",
            uploadURL: "\(SiteURL.reportLinesUpload())?\(query)",
            canUpload: user.permissions.contains(.fillReportLines) && openLines > 0)
        return try await request.view.render("report-lines", page).encodeResponse(status: status, for: request)
    }

    struct SubmitForm: Content {
        var baris: [Int]?
        var semua: String?
    }

    /// The Focal Point submits the chosen lines (or, with `semua`, every line under review) to Setnas. Each line goes
    /// through the state machine on its own; the ones that cannot go are named.
    @Sendable func submit(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        let form = (try? request.content.decode(SubmitForm.self)) ?? SubmitForm()
        let desk = request.reportDesk
        var chosen = Set(form.baris ?? [])
        if form.semua != nil, let instansiID = user.instansiID {
            let cycle = try await CycleLookup.cycle(for: request)
            let triwulan = try await Self.triwulan(of: cycle, request: request)
            let subjects = try await desk.subjects(instansiID: instansiID, triwulanID: triwulan.requireID())
            chosen.formUnion(subjects.filter { $0.state == .review }.map(\.targetID))
        }
        var submitted = 0
        var errors: [String] = []
        for targetID in chosen.sorted() {
            // Ids that are not lines of a published cycle, or not this instansi's, are passed over.
            guard let subject = try? await desk.subject(targetID: targetID), try await desk.canRead(subject) else {
                continue
            }
            switch try await desk.perform(.submitToSetnas, on: subject, content: nil, expectedVersion: subject.version)
            {
            case .success: submitted += 1
            case .failure(let problem):
                errors.append("\(subject.indicator.code): \(request.text(for: problem))")
            }
        }
        return try await self.render(
            request, notice: request.t("report.notice.submitted_count", String(submitted)), errors: errors,
            status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
