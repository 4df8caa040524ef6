import Fluent
import StranasCore
import Vapor

/// A verifikator's decision on many lines at once, in two steps: `/verifikasi/periksa` lists the lines chosen from
/// the filtered queue (or all it keeps) as they would be accepted, each with its claim as the verified value, and
/// changes nothing; `/verifikasi/terima` accepts exactly those lines at the versions listed
/// (`ReportDesk.acceptAtClaims`). A line that changed since the list was made (withdrawn, returned by another
/// verifikator) is left as it is and named; the others are accepted.
struct VerificationBulkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let verifikator = routes.requiring(.verifyReportLines)
        verifikator.post(SiteURL.verificationCheck, use: self.check)
        verifikator.post(SiteURL.verificationAccept, use: self.accept)
    }

    struct ChoiceForm: Content {
        var baris: [Int]?
        var semua: String?
    }

    struct CheckedRow: Encodable {
        let targetID: Int
        let instansi: String
        let indicatorCode: String
        let indicatorName: String
        let triwulan: String
        let target: String
        let value: String
        let evidence: String
        let warnings: [String]
        let hasWarnings: Bool
        /// "target:version": the line as it was listed.
        let checked: String
    }

    struct CheckPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let rows: [CheckedRow]
        let count: Int
        let withoutValue: Int
        let withoutEvidence: Int
        let acceptURL: String
        let backURL: String
    }

    /// "Check before accepting": the chosen lines of the filtered queue (or, with `semua`, every line it keeps).
    @Sendable func check(request: Request) async throws -> Response {
        let form = (try? request.content.decode(ChoiceForm.self)) ?? ChoiceForm()
        let (_, kept, filters) = try await VerificationQueueController.queue(for: request)
        let asked = Set(form.baris ?? [])
        let chosen = form.semua != nil ? kept : kept.filter { asked.contains($0.targetID) }
        // A line without a claimed value has nothing to accept at once: it is opened and decided on its own.
        let acceptable = chosen.filter { $0.capaian != nil }
        guard !acceptable.isEmpty else {
            let key = chosen.isEmpty ? "queue.error.nothing_chosen" : "queue.error.no_value"
            return try await VerificationQueueController.render(
                request, errors: [request.t(key)], status: .unprocessableEntity)
        }
        let format = request.displayFormat
        var withoutEvidence = 0
        let rows = acceptable.map { line -> CheckedRow in
            let links = ReportContentRules.links(in: line.links ?? "").count
            var warnings: [String] = []
            if line.files == 0 && links == 0 {
                warnings.append(request.t("queue.check.no_evidence"))
                withoutEvidence += 1
            }
            if let claim = line.capaian, claim > line.target {
                warnings.append(request.t("queue.check.above_target"))
            }
            return CheckedRow(
                targetID: line.targetID, instansi: line.instansi, indicatorCode: line.code,
                indicatorName: line.description,
                triwulan: request.triwulanLabel(number: line.triwulan, startYear: line.startYear),
                target: format.number(line.target), value: line.capaian.map { format.number($0) } ?? "–",
                evidence: request.t("queue.evidence", String(line.files), String(links)), warnings: warnings,
                hasWarnings: !warnings.isEmpty,
                checked: CheckedLine(targetID: line.targetID, version: line.version).formValue)
        }
        let page = CheckPage(
            page: PageContext(request: request, title: request.t("queue.check.title"), cycle: nil),
            csrfToken: request.csrfToken, rows: rows, count: rows.count,
            withoutValue: chosen.count - acceptable.count, withoutEvidence: withoutEvidence,
            acceptURL: SiteURL.verificationAccept(query: filters.query),
            backURL: SiteURL.verificationQueue(query: filters.query))
        return try await request.view.render("verification-check", page).encodeResponse(for: request)
    }

    struct AcceptForm: Content {
        var diperiksa: [String]?
    }

    /// Accepts the listed lines, each at the version listed, with its claim as the verified value.
    @Sendable func accept(request: Request) async throws -> Response {
        let form = (try? request.content.decode(AcceptForm.self)) ?? AcceptForm()
        let listed = try CheckedLine.all(in: form.diperiksa)
        guard !listed.isEmpty else {
            return try await VerificationQueueController.render(
                request, errors: [request.t("queue.error.nothing_chosen")], status: .unprocessableEntity)
        }
        let (accepted, leftOut) = try await request.reportDesk.acceptAtClaims(listed)
        let skipped = leftOut.map { item in
            guard let code = item.indicatorCode, let instansi = item.instansiName else {
                return request.t("error.report_line_not_found")
            }
            return request.t("queue.error.skipped", code, instansi, request.text(for: item.problem))
        }
        guard skipped.isEmpty else {
            return try await VerificationQueueController.render(
                request, accepted: accepted,
                errors: [request.t("queue.error.some_skipped", String(skipped.count))] + skipped,
                status: .conflict)
        }
        let filters = VerificationQueueController.Filters(request)
        return request.redirect(
            to: SiteURL.verificationQueue(query: filters.query + [("diterima", String(accepted))]))
    }
}
