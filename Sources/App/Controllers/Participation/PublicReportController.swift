import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Vapor

/// `/lapor`: anyone reports misconduct or a deviation, without an account and anonymously, about an instansi, one of
/// its aksi or one report line; they get a receipt code, shown once. `/lacak`: with the code they follow the case,
/// read and write to Setnas and the instansi, accept the answer or reopen the case once.
///
/// These routes store and log nothing about the visitor: no address, no user agent, no time finer than the day
/// (`CaseDesk`), and their pages load nothing from other sites. Submissions are limited per browser (its anonymous
/// form cookie) and overall, in memory; wrong codes per browser and overall, kept only for the window.
struct PublicReportController: RouteCollection {
    /// The largest attachment accepted, in bytes (`JAGA_UPLOAD_LIMIT_MB`).
    let uploadLimit: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get("lapor", use: self.form)
        let limit = EvidenceIntake.bodyLimit(files: CaseDesk.attachmentLimit, uploadLimit: self.uploadLimit)
        routes.on(.POST, "lapor", body: .collect(maxSize: ByteCount(value: limit)), use: self.submit)
            .acceptingUploads(upTo: limit)
        routes.get("lacak", use: self.trackForm)
        routes.post("lacak", use: self.track)
        routes.post("lacak", ":tindakan", use: self.act)
    }

    // MARK: - Reporting

    struct SubjectChoice: Encodable {
        let id: Int
        let name: String
        let isChosen: Bool
    }

    struct ReportForm: Encodable {
        let page: PageContext
        let csrfToken: String
        let about: String?
        let aksiNumber: Int?
        let targetID: Int?
        let fixedInstansiID: Int?
        let choices: [SubjectChoice]
        let body: String
        let contact: String
        let error: String?
        let fileProblems: [String]
        let uploadLimitMB: Int
    }

    struct Submission: Content {
        var instansi: Int?
        var aksi: Int?
        var baris: Int?
        var isi: String?
        var kontak: String?
        /// A field people do not see: a machine that fills every field fills this one too.
        var situs: String?
        var bukti: [File]?
    }

    /// What the report is about, from the query or the form: a line (its instansi is fixed), an instansi, or an aksi
    /// (whose pelaksana the reporter chooses from).
    private struct Resolved {
        var about: String?
        var aksiID: Int?
        var aksiNumber: Int?
        var targetID: Int?
        var fixedInstansiID: Int?
        var choices: [(id: Int, name: String)]
    }

    private func resolve(
        aksi number: Int?, target targetID: Int?, instansi instansiID: Int?, request: Request
    ) async throws -> Resolved {
        if let targetID {
            guard
                let target = try await Target.query(on: request.db).filter(\.$id == targetID).with(\.$instansi)
                    .with(\.$indicator, { $0.with(\.$output, { $0.with(\.$aksi, { $0.with(\.$cycle) }) }) })
                    .with(\.$triwulan).first(),
                target.indicator.output.aksi.cycle.isPublished
            else { throw PageError.notFound("report.public.unknown_subject") }
            let aksi = target.indicator.output.aksi
            return Resolved(
                about: request.t(
                    "report.public.about_line", target.indicator.code, target.instansi.name,
                    request.triwulanLabel(number: target.triwulan.number, startYear: aksi.cycle.startYear)),
                aksiID: aksi.id, aksiNumber: nil, targetID: targetID, fixedInstansiID: target.$instansi.id,
                choices: [])
        }
        if let number {
            let cycle = try await CycleLookup.cycle(for: request)
            guard
                let aksi = try await Aksi.query(on: request.db).filter(\.$cycle.$id == cycle.requireID())
                    .filter(\.$number == number).first()
            else { throw PageError.notFound("error.aksi_not_found", String(number), cycle.code) }
            let pelaksana = try await Pelaksana.query(on: request.db).filter(\.$aksi.$id == aksi.requireID())
                .with(\.$instansi).all()
            var seen = Set<Int>()
            let choices = pelaksana.map(\.instansi).filter { seen.insert($0.id!).inserted }
                .sorted { $0.name < $1.name }.map { (id: $0.id!, name: $0.name) }
            return Resolved(
                about: request.t("report.public.about_aksi", String(aksi.number), aksi.title), aksiID: aksi.id,
                aksiNumber: number, targetID: nil, fixedInstansiID: nil, choices: choices)
        }
        if let instansiID {
            guard let instansi = try await Instansi.find(instansiID, on: request.db), instansi.isActive else {
                throw PageError.notFound("error.instansi_not_found")
            }
            return Resolved(
                about: request.t("report.public.about_instansi", instansi.name), aksiID: nil, aksiNumber: nil,
                targetID: nil, fixedInstansiID: instansiID, choices: [])
        }
        let everyone = try await Instansi.query(on: request.db).filter(\.$isActive == true).sort(\.$name).all()
        return Resolved(
            about: nil, aksiID: nil, aksiNumber: nil, targetID: nil, fixedInstansiID: nil,
            choices: everyone.map { (id: $0.id!, name: $0.name) })
    }

    @Sendable func form(request: Request) async throws -> Response {
        let resolved = try await self.resolve(
            aksi: try? request.query.get(Int.self, at: "aksi"), target: try? request.query.get(Int.self, at: "baris"),
            instansi: try? request.query.get(Int.self, at: "instansi"), request: request)
        return try await self.render(request, resolved, chosen: nil, body: "", contact: "", error: nil, status: .ok)
    }

    private func render(
        _ request: Request, _ resolved: Resolved, chosen: Int?, body: String, contact: String, error: String?,
        fileProblems: [String] = [], status: HTTPStatus
    ) async throws -> Response {
        let page = ReportForm(
            page: PageContext(request: request, title: request.t("report.public.title"), cycle: nil),
            csrfToken: request.csrfToken, about: resolved.about, aksiNumber: resolved.aksiNumber,
            targetID: resolved.targetID, fixedInstansiID: resolved.fixedInstansiID,
            choices: resolved.choices.map { SubjectChoice(id: $0.id, name: $0.name, isChosen: $0.id == chosen) },
            body: body, contact: contact, error: error, fileProblems: fileProblems,
            uploadLimitMB: request.application.config.uploadLimitBytes / 1_048_576)
        return try await Self.private(request.view.render("report-public", page), status: status, request: request)
    }

    @Sendable func submit(request: Request) async throws -> Response {
        let form = (try? request.content.decode(Submission.self)) ?? Submission()
        let resolved = try await self.resolve(
            aksi: form.aksi, target: form.baris, instansi: form.baris == nil ? form.instansi : nil, request: request)
        let body = form.isi ?? ""
        let contact = form.kontak ?? ""
        func again(_ key: String, _ status: HTTPStatus, _ arguments: String...) async throws -> Response {
            try await self.render(
                request, resolved, chosen: form.instansi, body: body, contact: contact,
                error: request.application.locales.text(key, request.language, arguments), status: status)
        }
        guard (form.situs ?? "").isEmpty else {
            return try await again("report.public.error.machine", .unprocessableEntity)
        }
        let instansiID =
            resolved.fixedInstansiID
            ?? form.instansi.flatMap { id in resolved.choices.contains { $0.id == id } ? id : nil }
        guard let instansiID else { return try await again("report.public.error.instansi", .unprocessableEntity) }
        // Files are checked by content; a refused one sends the form back with the text kept and a reason per file.
        var attachments: [CaseDesk.Attachment] = []
        var fileProblems: [String] = []
        let files = (form.bukti ?? []).filter { !$0.filename.isEmpty || $0.data.readableBytes > 0 }
        if files.count > CaseDesk.attachmentLimit {
            fileProblems.append(request.t("report.public.error.file_count", String(CaseDesk.attachmentLimit)))
        }
        for file in files.prefix(CaseDesk.attachmentLimit) {
            switch EvidenceIntake.check(file, request: request) {
            case .success(let kind):
                attachments.append(
                    .init(
                        fileName: EvidenceKind.safeName(file.filename, kind: kind), kind: kind,
                        data: Data(buffer: file.data)))
            case .failure(let problem): fileProblems.append(problem.text)
            }
        }
        guard fileProblems.isEmpty else {
            return try await self.render(
                request, resolved, chosen: form.instansi, body: body, contact: contact,
                error: request.t("report.public.error.files"), fileProblems: fileProblems, status: .unprocessableEntity)
        }
        guard
            request.application.reportSubmissions.admit(
                browser: Self.browser(of: request), now: request.application.clock.now())
        else { return try await again("report.public.error.too_many", .tooManyRequests) }

        let result = try await CaseDesk(app: request.application, database: request.db).submit(
            body: body, contact: contact,
            about: .init(instansiID: instansiID, aksiID: resolved.aksiID, targetID: resolved.targetID),
            attachments: attachments)
        switch result {
        case .success(let code):
            struct Receipt: Encodable {
                let page: PageContext
                let code: String
            }
            let page = Receipt(
                page: PageContext(request: request, title: request.t("report.public.sent_title"), cycle: nil),
                code: code.grouped)
            return try await Self.private(
                request.view.render("report-receipt", page), status: .created, request: request)
        case .failure(.bodyTooShort): return try await again("report.public.error.short", .unprocessableEntity)
        case .failure(.bodyTooLong):
            return try await again("report.public.error.long", .unprocessableEntity, String(CaseDesk.bodyLimit))
        case .failure(.contactTooLong):
            return try await again(
                "report.public.error.contact_long", .unprocessableEntity, String(CaseDesk.contactLimit))
        case .failure: return try await again("report.public.error.machine", .unprocessableEntity)
        }
    }

    // MARK: - Following a case

    struct TrackForm: Encodable {
        let page: PageContext
        let csrfToken: String
        let error: String?
    }

    @Sendable func trackForm(request: Request) async throws -> Response {
        try await self.renderTrackForm(request, error: nil, status: .ok)
    }

    private func renderTrackForm(_ request: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let page = TrackForm(
            page: PageContext(request: request, title: request.t("track.title"), cycle: nil),
            csrfToken: request.csrfToken, error: error)
        return try await Self.private(request.view.render("track-form", page), status: status, request: request)
    }

    struct CodeForm: Content {
        var kode: String?
        var versi: Int?
        var isi: String?
    }

    private enum Opened {
        case found(PublicCase, ReceiptCode)
        /// The page to show instead: a wrong code, too many wrong codes.
        case refused(Response)
    }

    /// The case of the code in the form.
    private func openCase(_ request: Request, code typed: String?) async throws -> Opened {
        let guardian = ReceiptGuard(database: request.db, clock: request.application.clock)
        let browser = Self.browser(of: request)
        guard try await guardian.allows(browser: browser) else {
            return .refused(
                try await self.renderTrackForm(
                    request, error: request.t("track.error.too_many"), status: .tooManyRequests))
        }
        if let code = ReceiptCode(typed: typed ?? ""),
            let report = try await CaseDesk(app: request.application, database: request.db).find(code)
        {
            return .found(report, code)
        }
        try await guardian.recordFailure(browser: browser)
        return .refused(
            try await self.renderTrackForm(
                request, error: request.t("track.error.unknown"), status: .unprocessableEntity))
    }

    @Sendable func track(request: Request) async throws -> Response {
        let form = (try? request.content.decode(CodeForm.self)) ?? CodeForm()
        switch try await self.openCase(request, code: form.kode) {
        case .refused(let page): return page
        case .found(let report, let code):
            return try await self.renderCase(request, report, code: code, notice: nil, error: nil)
        }
    }

    /// `POST /lacak/pesan`, `/lacak/terima`, `/lacak/buka-kembali`: the reporter's message, acceptance, reopening.
    @Sendable func act(request: Request) async throws -> Response {
        let form = (try? request.content.decode(CodeForm.self)) ?? CodeForm()
        let report: PublicCase
        let code: ReceiptCode
        switch try await self.openCase(request, code: form.kode) {
        case .refused(let page): return page
        case .found(let found, let typed): (report, code) = (found, typed)
        }
        let desk = CaseDesk(app: request.application, database: request.db)
        let text = form.isi ?? ""
        let outcome: Result<Void, CaseDesk.Problem>
        switch request.parameters.get("tindakan") {
        case "pesan": outcome = try await desk.say(text, on: report, by: CaseDesk.reporter)
        case "terima":
            outcome = try await desk.take(
                .accept, on: report, by: CaseDesk.reporter, note: nil, expectedVersion: form.versi ?? -1
            ).map { _ in }
        case "buka-kembali":
            outcome = try await desk.take(
                .reopen, on: report, by: CaseDesk.reporter, note: text, expectedVersion: form.versi ?? -1
            ).map { _ in }
        default: throw PageError.notFound()
        }
        switch outcome {
        case .success:
            return try await self.renderCase(request, report, code: code, notice: request.t("track.saved"), error: nil)
        case .failure(let problem):
            return try await self.renderCase(
                request, report, code: code, notice: nil, error: CaseText.problem(problem, request: request),
                draft: text,
                status: problem == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func renderCase(
        _ request: Request, _ report: PublicCase, code: ReceiptCode, notice: String?, error: String?,
        draft: String = "",
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let desk = CaseDesk(app: request.application, database: request.db)
        try await desk.closeUnansweredCases()
        guard let fresh = try await PublicCase.find(report.id, on: request.db) else { throw PageError.notFound() }
        let view = try await CaseView.load(fresh, for: .reporter, request: request)
        struct Page: Encodable {
            let page: PageContext
            let csrfToken: String
            let code: String
            let report: CaseView
            let notice: String?
            let error: String?
            let draft: String
        }
        let page = Page(
            page: PageContext(request: request, title: request.t("track.case_title"), cycle: nil),
            csrfToken: request.csrfToken, code: code.grouped, report: view, notice: notice, error: error, draft: draft)
        return try await Self.private(request.view.render("track-case", page), status: status, request: request)
    }

    // MARK: - Privacy

    /// The anonymous form cookie, hashed: enough to tell one browser's attempts from another's, nothing more.
    static func browser(of request: Request) -> String {
        let token = request.cookies[CSRFProtection.cookieName]?.string ?? "tanpa-cookie"
        return SHA256.hash(data: Data(token.utf8)).hex
    }

    /// Pages of a case are the visitor's alone: never stored by a browser or a proxy, never named in a Referer.
    static func `private`(_ view: View, status: HTTPStatus, request: Request) async throws -> Response {
        let response = try await view.encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }
}

/// Limits reports per browser and overall, in memory only (nothing about the visitor reaches the database).
final class ReportSubmissionLimit: Sendable {
    static let perBrowser = 5
    static let overall = 300
    static let window: TimeInterval = 3_600

    private let times = NIOLockedValueBox([String: [Date]]())

    func admit(browser: String, now: Date) -> Bool {
        self.times.withLockedValue { times in
            let since = now.addingTimeInterval(-Self.window)
            times = times.compactMapValues { list in
                let kept = list.filter { $0 > since }
                return kept.isEmpty ? nil : kept
            }
            let total = times.values.reduce(0) { $0 + $1.count }
            guard total < Self.overall, (times[browser]?.count ?? 0) < Self.perBrowser else { return false }
            times[browser, default: []].append(now)
            return true
        }
    }
}

extension Application {
    private struct ReportSubmissionLimitKey: StorageKey {
        typealias Value = ReportSubmissionLimit
    }

    var reportSubmissions: ReportSubmissionLimit {
        if let existing = self.storage[ReportSubmissionLimitKey.self] { return existing }
        let made = ReportSubmissionLimit()
        self.storage[ReportSubmissionLimitKey.self] = made
        return made
    }
}

/// Wrong receipt codes: five per browser in fifteen minutes, two hundred overall; rows older than the window are
/// deleted as they are read.
struct ReceiptGuard {
    static let perBrowser = 5
    static let overall = 200
    static let window: TimeInterval = 15 * 60

    let database: any Database
    let clock: AppClock

    func allows(browser: String) async throws -> Bool {
        let since = self.clock.now().addingTimeInterval(-Self.window)
        try await ReceiptFailure.query(on: self.database).filter(\.$at < since).delete()
        let overall = try await ReceiptFailure.query(on: self.database).count()
        let mine = try await ReceiptFailure.query(on: self.database).filter(\.$browser == browser).count()
        return overall < Self.overall && mine < Self.perBrowser
    }

    func recordFailure(browser: String) async throws {
        try await ReceiptFailure(browser: browser, at: self.clock.now()).create(on: self.database)
    }
}
