import Fluent
import StranasCore
import Vapor

/// The Focal Point's submission of reviewed lines to Setnas, in two steps: `/laporan/periksa` shows what would go
/// (each line's value, evidence and gaps, the lines not ready, the deadline) and changes nothing; `/laporan/ajukan`
/// submits exactly the lines checked, at the versions checked, or none of them. Each line still moves through
/// `ReportDesk` on its own, with its version and audit entry.
struct ReportSubmissionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let focalPoint = routes.requiring(.submitInstansiReport)
        focalPoint.post(SiteURL.instansiReportCheck, use: self.check)
        focalPoint.post(SiteURL.instansiReportSubmit, use: self.submit)
    }

    struct ChoiceForm: Content {
        var baris: [Int]?
        var semua: String?
    }

    struct CheckedRow: Encodable {
        let targetID: Int
        let indicatorCode: String
        let description: String
        let target: String
        let capaian: String
        let unit: String
        let evidence: String
        let gaps: [String]
        let hasGaps: Bool
        let reviewed: String
        let url: String
        /// "target:version": the line as it was checked.
        let checked: String
    }

    struct WaitingRow: Encodable {
        let indicatorCode: String
        let description: String
        let state: String
        let stateKey: String
        let url: String
    }

    struct CheckPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let instansiName: String
        let triwulanLabel: String
        let deadline: String
        let isLate: Bool
        let rows: [CheckedRow]
        let count: Int
        let waiting: [WaitingRow]
        let waitingCount: Int
        let hasWaiting: Bool
        let alreadySent: Int
        let submitURL: String
        let backURL: String
    }

    /// "Check your answers": the chosen reviewed lines (or, with `semua`, every reviewed line), as they would go.
    @Sendable func check(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID, let instansi = try await Instansi.find(instansiID, on: request.db)
        else { throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: []) }
        let form = (try? request.content.decode(ChoiceForm.self)) ?? ChoiceForm()
        let cycle = try await CycleLookup.cycle(for: request)
        let triwulan = try await InstansiReportController.triwulan(of: cycle, request: request)
        let desk = request.reportDesk
        let subjects = try await desk.subjects(instansiID: instansiID, triwulanID: triwulan.requireID())
        let ready = subjects.filter { $0.state == .reviewed && !desk.isLocked($0) }
        let asked = Set(form.baris ?? [])
        let chosen = form.semua != nil ? ready : ready.filter { asked.contains($0.targetID) }
        guard !chosen.isEmpty else {
            return try await InstansiReportController.render(
                request, errors: [request.t("report.error.nothing_chosen")], status: .unprocessableEntity)
        }
        let format = request.displayFormat
        let evidence = try await desk.currentEvidence(of: chosen.compactMap(\.line))
        let rows = chosen.map { subject -> CheckedRow in
            let line = subject.line!
            let files = line.id.flatMap { evidence[$0] }?.count ?? 0
            let links = ReportContentRules.links(in: line.links).count
            var gaps: [String] = []
            if files == 0 && links == 0 { gaps.append(request.t("report.check.gap_evidence")) }
            if line.narasi.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                gaps.append(request.t("report.check.gap_narasi"))
            }
            if let value = line.capaian, value < subject.target.value {
                gaps.append(request.t("report.check.gap_below_target"))
            }
            return CheckedRow(
                targetID: subject.targetID, indicatorCode: subject.indicator.code,
                description: subject.indicator.description,
                target: format.number(subject.target.value), capaian: line.capaian.map { format.number($0) } ?? "–",
                unit: subject.indicator.unit,
                evidence: request.t("report.check.evidence", String(files), String(links)), gaps: gaps,
                hasGaps: !gaps.isEmpty,
                reviewed: request.t(
                    "report.reviewed_by", line.reviewer ?? "–", line.reviewedAt.map { format.timestamp($0) } ?? "–"),
                url: SiteURL.reportLine(subject.targetID),
                checked: CheckedLine(targetID: subject.targetID, version: subject.version).formValue)
        }
        let chosenIDs = Set(chosen.map(\.targetID))
        let waiting = subjects.filter {
            !chosenIDs.contains($0.targetID) && $0.state != .submitted && $0.state != .accepted
        }
        let query: [(String, String?)] = [("periode", cycle.code), ("triwulan", String(triwulan.number))]
        let due = CalendarDate(iso: triwulan.dueOn)!
        let page = CheckPage(
            page: PageContext(request: request, title: request.t("report.check.title"), cycle: cycle),
            csrfToken: request.csrfToken, instansiName: instansi.name,
            triwulanLabel: request.triwulanLabel(number: triwulan.number, startYear: cycle.startYear),
            deadline: request.deadline(due), isLate: request.application.clock.today > due, rows: rows,
            count: rows.count,
            waiting: waiting.map {
                WaitingRow(
                    indicatorCode: $0.indicator.code, description: $0.indicator.description,
                    state: request.t("report.state.\($0.stateKey)"), stateKey: $0.stateKey,
                    url: SiteURL.reportLine($0.targetID))
            }, waitingCount: waiting.count, hasWaiting: !waiting.isEmpty,
            alreadySent: subjects.filter { $0.state == .submitted || $0.state == .accepted }.count,
            submitURL: SiteURL.instansiReportSubmit(query: query), backURL: SiteURL.instansiReport(query: query))
        return try await request.view.render("report-check", page).encodeResponse(for: request)
    }

    struct SubmitForm: Content {
        var diperiksa: [String]?
    }

    /// Submits the lines checked, each at the version checked. When any of them cannot go (sent back, withdrawn,
    /// changed, locked since), none goes and the report says which and why.
    @Sendable func submit(request: Request) async throws -> Response {
        let form = (try? request.content.decode(SubmitForm.self)) ?? SubmitForm()
        let checked = try CheckedLine.all(in: form.diperiksa)
        guard !checked.isEmpty else {
            return try await InstansiReportController.render(
                request, errors: [request.t("report.error.nothing_chosen")], status: .unprocessableEntity)
        }
        let desk = request.reportDesk
        var subjects: [(ReportDesk.Subject, Int)] = []
        var errors: [String] = []
        for (targetID, version) in checked.map({ ($0.targetID, $0.version) }) {
            // Ids that are not lines of a published cycle, or not this instansi's, are answered as unknown.
            guard let subject = try? await desk.subject(targetID: targetID), try await desk.canRead(subject) else {
                errors.append(request.t("error.report_line_not_found"))
                continue
            }
            if let problem = try await desk.refusal(
                of: .submitToSetnas, on: subject, content: nil, capaian: subject.line?.capaian,
                expectedVersion: version)
            {
                errors.append("\(subject.indicator.code): \(request.text(for: problem))")
            }
            subjects.append((subject, version))
        }
        guard errors.isEmpty else {
            return try await InstansiReportController.render(
                request, errors: [request.t("report.error.none_submitted")] + errors, status: .unprocessableEntity)
        }
        var submitted = 0
        for (subject, version) in subjects {
            switch try await desk.perform(.submitToSetnas, on: subject, content: nil, expectedVersion: version) {
            case .success: submitted += 1
            // Changed between the check above and this write: the rest already went, so say so.
            case .failure(let problem): errors.append("\(subject.indicator.code): \(request.text(for: problem))")
            }
        }
        guard errors.isEmpty else {
            return try await InstansiReportController.render(
                request, submittedCount: submitted, errors: errors, status: .conflict)
        }
        let cycle = try await CycleLookup.cycle(for: request)
        let triwulan = try await InstansiReportController.triwulan(of: cycle, request: request)
        return request.redirect(
            to: SiteURL.instansiReport(
                query: [
                    ("periode", cycle.code), ("triwulan", String(triwulan.number)), ("diajukan", String(submitted)),
                ]))
    }
}
