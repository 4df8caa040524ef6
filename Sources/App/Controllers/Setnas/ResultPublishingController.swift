import Fluent
import StranasCore
import Vapor

/// `/setnas/periode/{kode}/capaian/{triwulan}/terbitkan`: Admin Setnas freezes a triwulan's results. The page first
/// says what will be frozen (the national score, the aksi and instansi counted, how far the instansi have reported,
/// the reporting window) and, before the window has locked, asks for the reason of publishing early, which goes on
/// the public record with the coverage it was published at; the one irreversible click follows. The report is printed
/// to PDF in the same step: when the PDF cannot be made, nothing is published.
struct ResultPublishingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.requiring(.administerPlan)
        admin.get(SiteURL.resultsPublish, use: self.check)
        admin.post(SiteURL.resultsPublish, use: self.publish)
    }

    struct PublishForm: Content {
        var alasan: String?
    }

    /// A triwulan that may be published: its cycle's plan is published, it exists, and it is not published yet.
    private struct Candidate {
        let cycle: Cycle
        let triwulan: Triwulan
        let endsOn: CalendarDate
        let dueOn: CalendarDate
        let locksOn: CalendarDate
        let title: String
    }

    private func candidate(_ request: Request) async throws -> Candidate {
        let cycle = try await CycleAdminController.cycle(request)
        guard let number = request.parameters.get("triwulan", as: Int.self),
            (1...ReportingCalendar.triwulanPerCycle).contains(number),
            let triwulan = try await Triwulan.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$number == number).first(),
            let endsOn = CalendarDate(iso: triwulan.endsOn), let dueOn = CalendarDate(iso: triwulan.dueOn),
            let locksOn = CalendarDate(iso: triwulan.locksOn)
        else { throw PageError.notFound() }
        guard cycle.isPublished else {
            throw PageError(status: .conflict, messageKey: "results.error.draft", arguments: [cycle.code])
        }
        if try await ResultSnapshot.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$triwulan == number).first() != nil
        {
            throw PageError(status: .conflict, messageKey: "results.error.published", arguments: [])
        }
        if ResultPublication.readiness(today: request.application.clock.today, endsOn: endsOn, locksOn: locksOn)
            == .notEnded
        {
            throw PageError(status: .conflict, messageKey: "results.error.not_ended", arguments: [])
        }
        return Candidate(
            cycle: cycle, triwulan: triwulan, endsOn: endsOn, dueOn: dueOn, locksOn: locksOn,
            title: ResultReportController.title(triwulan: number, startYear: cycle.startYear, request: request))
    }

    struct CheckPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let title: String
        let cycleName: String
        let cycleURL: String
        let publishURL: String
        let period: String
        let due: String
        let locks: String
        let isEarly: Bool
        let coverage: String
        let lines: String
        let national: String
        let nationalClaimed: String
        let aksiCount: Int
        let rankedCount: Int
        let reason: String
        let error: String?
    }

    /// "103 dari 104 instansi belum mengajukan semua barisnya; batas waktu 15 April 2021": what an early publication
    /// states, on the page in the reader's language and on the record in Bahasa Indonesia.
    private func coverageSentence(
        _ coverage: ReportingCoverage, _ candidate: Candidate, in language: Language, _ request: Request
    ) -> String {
        let catalog = request.application.locales
        return catalog.text(
            "results.check.coverage", language,
            [
                String(coverage.lagging), String(coverage.instansi),
                catalog.displayFormat(language).date(candidate.dueOn),
            ])
    }

    private func render(
        _ request: Request, _ candidate: Candidate, reason: String, error: String?, status: HTTPStatus = .ok
    ) async throws -> Response {
        let coverage = try await ReportingCoverage.read(triwulanID: try candidate.triwulan.requireID(), on: request.db)
        let numbers = try await ResultNumbers.read(
            cycle: candidate.cycle, triwulan: candidate.triwulan.number, on: request.db,
            today: request.application.clock.today)
        let national = numbers.series.prefix(candidate.triwulan.number).last
        let format = request.displayFormat
        let page = CheckPage(
            page: PageContext(request: request, title: request.t("results.check.title", candidate.title), cycle: nil),
            csrfToken: request.csrfToken, title: candidate.title, cycleName: candidate.cycle.name,
            cycleURL: SiteURL.cycle(candidate.cycle.code, fragment: "hasil"),
            publishURL: SiteURL.resultsPublish(candidate.cycle.code, candidate.triwulan.number),
            period: format.dateRange(
                CalendarDate(iso: candidate.triwulan.startsOn) ?? candidate.endsOn, candidate.endsOn),
            due: format.date(candidate.dueOn), locks: request.deadline(candidate.locksOn),
            isEarly: ResultPublication.readiness(
                today: request.application.clock.today, endsOn: candidate.endsOn, locksOn: candidate.locksOn)
                == .beforeLock,
            coverage: self.coverageSentence(coverage, candidate, in: request.language, request),
            lines: request.t(
                "results.check.lines_value", String(coverage.lines), String(coverage.accepted),
                String(coverage.waiting), String(coverage.returned), String(coverage.notSubmitted)),
            national: format.percent(national?.verified), nationalClaimed: format.percent(national?.selfReported),
            aksiCount: numbers.aksi.count,
            rankedCount: numbers.rankings.reduce(0) { $0 + $1.lines.count },
            reason: reason, error: error)
        let response = try await request.view.render("results-publish", page).encodeResponse(
            status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func check(request: Request) async throws -> Response {
        try await self.render(request, try await self.candidate(request), reason: "", error: nil)
    }

    @Sendable func publish(request: Request) async throws -> Response {
        let candidate = try await self.candidate(request)
        let form = (try? request.content.decode(PublishForm.self)) ?? PublishForm()
        let reason = (form.alasan ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let today = request.application.clock.today
        switch ResultPublication.problem(
            today: today, endsOn: candidate.endsOn, locksOn: candidate.locksOn, reason: reason)
        {
        case .notEnded:
            throw PageError(status: .conflict, messageKey: "results.error.not_ended", arguments: [])
        case .reasonRequired:
            return try await self.render(
                request, candidate, reason: reason,
                error: request.t("results.error.reason_required", String(ResultPublication.minimumReasonLength)),
                status: .unprocessableEntity)
        case .reasonTooLong:
            return try await self.render(
                request, candidate, reason: reason,
                error: request.t("results.error.reason_too_long", String(ResultPublication.maximumReasonLength)),
                status: .unprocessableEntity)
        case nil:
            break
        }
        let earlyReason: String?
        if ResultPublication.readiness(today: today, endsOn: candidate.endsOn, locksOn: candidate.locksOn)
            == .beforeLock
        {
            let coverage = try await ReportingCoverage.read(
                triwulanID: try candidate.triwulan.requireID(), on: request.db)
            // Recorded in Bahasa Indonesia, the language of the record, with the coverage it was published at.
            let catalog = request.application.locales
            earlyReason = catalog.text(
                "results.early_record", .id,
                [
                    catalog.displayFormat(.id).date(candidate.locksOn),
                    self.coverageSentence(coverage, candidate, in: .id, request), reason,
                ])
        } else {
            earlyReason = nil
        }

        let signedIn = try request.requireSignedIn()
        let numbers = try await ResultNumbers.read(
            cycle: candidate.cycle, triwulan: candidate.triwulan.number, on: request.db, today: today)
        let content = try ResultReport(numbers).canonicalJSON()
        let sha256 = BlobStore.sha256(content)
        let pdfSHA256: String
        do {
            let html = try await ResultReportPrint.standaloneHTML(
                report: try JSONDecoder().decode(ResultReport.self, from: content), cycle: candidate.cycle,
                triwulan: candidate.triwulan.number, publishedAt: request.application.clock.now(),
                publishedBy: AuditTrail.Actor(signedIn.user).label, sha256: sha256, earlyReason: earlyReason,
                request: request)
            let pdf = try await request.application.pdfRenderer.render(html)
            pdfSHA256 = try request.application.blobStore.store(pdf)
        } catch {
            request.logger.error("the triwulan report's PDF could not be made, nothing was published: \(error)")
            throw PageError(status: .serviceUnavailable, messageKey: "results.error.pdf", arguments: [])
        }
        do {
            _ = try await request.cycleDesk.publishResults(
                of: candidate.cycle, triwulan: candidate.triwulan.number,
                content: String(decoding: content, as: UTF8.self), sha256: sha256, pdfSHA256: pdfSHA256,
                earlyReason: earlyReason,
                title: ResultReportController.title(
                    triwulan: candidate.triwulan.number, startYear: candidate.cycle.startYear, in: .id,
                    request.application.locales))
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another Admin Setnas published this triwulan while its PDF was being printed: theirs stands.
            throw PageError(status: .conflict, messageKey: "results.error.published", arguments: [])
        }
        return request.redirect(to: SiteURL.resultReport(candidate.cycle.code, candidate.triwulan.number))
    }
}
