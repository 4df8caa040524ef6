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
/// (`CaseDesk`), and their pages load nothing from other sites. Submissions and wrong codes are limited per client, in
/// memory only, under a keyed hash of the address that is forgotten after the window (`SubmissionLimit`); while many
/// reports arrive the form asks for a small proof of work (`ReportChallenges`, ADR 0017).
struct PublicReportController: RouteCollection {
    /// Where a reporter follows their case with the receipt code.

    /// The largest attachment accepted, in bytes (`JAGA_UPLOAD_LIMIT_MB`).
    let uploadLimit: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.report, use: self.form)
        let limit = EvidenceIntake.bodyLimit(files: CaseDesk.attachmentLimit, uploadLimit: self.uploadLimit)
        routes.on(.POST, SiteURL.report, body: .stream, use: self.submit)
            .acceptingUploads(upTo: limit)
            .keepingTextOfOversizedForms()
            .admitting { request in
                let limits = request.application.reportSubmissions
                return limits.isUnderLimit(
                    limits.key(forAddress: request.clientAddress), now: request.application.clock.now())
            }
        routes.get(SiteURL.track, use: self.trackForm)
        routes.post(SiteURL.track, use: self.track)
        routes.post(SiteURL.trackAction, use: self.act)
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
        /// The id of the field the error is about, when it is about one (`FormError`).
        let errorField: String?
        let errorLink: String?
        let fileProblems: [String]
        let uploadLimitMB: Int
        /// While many reports arrive: the proof-of-work challenge the browser solves before sending.
        let challenge: String?
    }

    /// The form as sent. The subject's ids arrive as text, so that an empty or mangled one (a select left at its
    /// first option) costs only that choice, never the text typed.
    struct Submission: Content {
        var instansi: String?
        var aksi: String?
        var baris: String?
        var isi: String?
        var kontak: String?
        /// A field people do not see: a machine that fills every field fills this one too.
        var situs: String?
        /// The proof of work, when the form asked for one: the challenge and the number that solves it.
        var tantangan: String?
        var jawaban: String?
        var bukti: [File]?
    }

    @Sendable func form(request: Request) async throws -> Response {
        let resolved = try await ParticipationSubject.resolve(
            aksi: try? request.query.get(Int.self, at: "aksi"), target: try? request.query.get(Int.self, at: "baris"),
            instansi: try? request.query.get(Int.self, at: "instansi"), request: request)
        return try await self.render(request, resolved, chosen: nil, body: "", contact: "", error: nil, status: .ok)
    }

    private func render(
        _ request: Request, _ resolved: ParticipationSubject, chosen: Int?, body: String, contact: String,
        error: String?, errorField: String? = nil,
        fileProblems: [String] = [], status: HTTPStatus
    ) async throws -> Response {
        let page = ReportForm(
            page: PageContext(request: request, title: request.t("report.public.title"), cycle: nil),
            csrfToken: request.csrfToken, about: resolved.about, aksiNumber: resolved.aksiNumber,
            targetID: resolved.targetID, fixedInstansiID: resolved.fixedInstansiID,
            choices: resolved.choices.map { SubjectChoice(id: $0.id, name: $0.name, isChosen: $0.id == chosen) },
            body: body, contact: contact, error: error, errorField: error == nil ? nil : errorField,
            errorLink: error == nil ? nil : errorField.map { "#" + $0 }, fileProblems: fileProblems,
            uploadLimitMB: request.application.config.uploadLimitBytes / 1_048_576,
            challenge: Self.needsProof(request)
                ? request.application.reportChallenges.issue(now: request.application.clock.now()) : nil)
        return try await Self.private(request.view.render("report-public", page), status: status, request: request)
    }

    @Sendable func submit(request: Request) async throws -> Response {
        if let oversized = request.oversizedForm { return try await self.tooLarge(request, oversized) }
        // Decoding a multipart body copies every file: seconds of CPU for large ones, kept off the event loops.
        let form =
            (try? await request.application.threadPool.runIfActive { try request.content.decode(Submission.self) })
            ?? Submission()
        let chosen = form.instansi.flatMap { Int($0) }
        let target = form.baris.flatMap { Int($0) }
        let resolved = try await ParticipationSubject.resolve(
            aksi: form.aksi.flatMap { Int($0) }, target: target, instansi: target == nil ? chosen : nil,
            request: request)
        let body = form.isi ?? ""
        let contact = form.kontak ?? ""
        func again(
            _ key: String, _ status: HTTPStatus, _ arguments: String..., field: String? = nil
        ) async throws -> Response {
            try await self.render(
                request, resolved, chosen: chosen, body: body, contact: contact,
                error: request.application.locales.text(key, request.language, arguments), errorField: field,
                status: status)
        }
        guard (form.situs ?? "").isEmpty else {
            return try await again("report.public.error.machine", .unprocessableEntity)
        }
        let instansiID = resolved.instansi(chosen: chosen)
        guard let instansiID else {
            return try await again("report.public.error.instansi", .unprocessableEntity, field: "instansi")
        }
        // Files are checked by content; a refused one sends the form back with the text kept and a reason per file.
        var attachments: [CaseDesk.Attachment] = []
        var fileProblems: [String] = []
        let files = (form.bukti ?? []).filter { !$0.filename.isEmpty || $0.data.readableBytes > 0 }
        if files.count > CaseDesk.attachmentLimit {
            fileProblems.append(request.t("report.public.error.file_count", String(CaseDesk.attachmentLimit)))
        }
        // Checking and copying tens of megabytes is work for the thread pool, not for an event loop.
        let countProblems = fileProblems
        (attachments, fileProblems) = try await request.application.threadPool.runIfActive {
            var accepted: [CaseDesk.Attachment] = []
            var problems = countProblems
            for file in files.prefix(CaseDesk.attachmentLimit) {
                switch EvidenceIntake.check(file, request: request) {
                case .success(let kind):
                    accepted.append(
                        .init(
                            fileName: EvidenceKind.safeName(file.filename, kind: kind), kind: kind,
                            data: Data(buffer: file.data)))
                case .failure(let problem): problems.append(problem.text)
                }
            }
            return (accepted, problems)
        }
        guard fileProblems.isEmpty else {
            return try await self.render(
                request, resolved, chosen: chosen, body: body, contact: contact,
                error: request.t("report.public.error.files"), errorField: "bukti", fileProblems: fileProblems,
                status: .unprocessableEntity)
        }
        // Many reports at once: the door stays open, at the price of a small proof of work (ADR 0017).
        if Self.needsProof(request) {
            guard
                request.application.reportChallenges.accept(
                    form.tantangan ?? "", answer: form.jawaban ?? "", now: request.application.clock.now())
            else { return try await again("report.public.error.challenge", .tooManyRequests) }
        }
        guard
            request.application.reportSubmissions.admit(
                request.application.reportSubmissions.key(forAddress: request.clientAddress),
                now: request.application.clock.now())
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
                let answerDays: Int
            }
            let page = Receipt(
                page: PageContext(request: request, title: request.t("report.public.sent_title"), cycle: nil),
                code: code.grouped, answerDays: CaseWorkflow.workingDaysToAnswer)
            return try await Self.private(
                request.view.render("report-receipt", page), status: .created, request: request)
        case .failure(.bodyTooShort):
            return try await again("report.public.error.short", .unprocessableEntity, field: "teks-laporan")
        case .failure(.bodyTooLong):
            return try await again(
                "report.public.error.long", .unprocessableEntity, String(CaseDesk.bodyLimit), field: "teks-laporan")
        case .failure(.contactTooLong):
            return try await again(
                "report.public.error.contact_long", .unprocessableEntity, String(CaseDesk.contactLimit),
                field: "kontak")
        case .failure: return try await again("report.public.error.machine", .unprocessableEntity)
        }
    }

    /// Whether a report now needs a proof of work: many have arrived in the last hour.
    static func needsProof(_ request: Request) -> Bool {
        ProofOfWork.isRequired(
            reportsInLastHour: request.application.reportSubmissions.total(now: request.application.clock.now()))
    }

    /// A report whose files were larger than the form takes: the form again, with what was typed and the limits.
    private func tooLarge(_ request: Request, _ oversized: OversizedForm) async throws -> Response {
        let chosen = request.formText("instansi").flatMap { Int($0) }
        let target = request.formText("baris").flatMap { Int($0) }
        let resolved = try await ParticipationSubject.resolve(
            aksi: request.formText("aksi").flatMap { Int($0) }, target: target, instansi: target == nil ? chosen : nil,
            request: request)
        return try await self.render(
            request, resolved, chosen: chosen, body: request.formText("isi") ?? "",
            contact: request.formText("kontak") ?? "",
            error: request.t(
                "report.public.error.too_large",
                request.displayFormat.number(Double(oversized.size) / 1_048_576, maximumFractionDigits: 1),
                String(request.application.config.uploadLimitBytes / 1_048_576), String(CaseDesk.attachmentLimit)),
            errorField: "bukti", status: .payloadTooLarge)
    }

    // MARK: - Following a case

    struct TrackForm: Encodable {
        let page: PageContext
        let csrfToken: String
        let error: String?
        let errorField: String?
        let errorLink: String?
    }

    @Sendable func trackForm(request: Request) async throws -> Response {
        try await self.renderTrackForm(request, error: nil, status: .ok)
    }

    private func renderTrackForm(
        _ request: Request, error: String?, errorField: String? = nil, status: HTTPStatus
    ) async throws -> Response {
        let page = TrackForm(
            page: PageContext(request: request, title: request.t("track.title"), cycle: nil),
            csrfToken: request.csrfToken, error: error, errorField: errorField,
            errorLink: errorField.map { "#" + $0 })
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

    /// The case of the code in the form. A correct code always opens its case; wrong ones count against the client
    /// (in memory), and a client with five in fifteen minutes is told to wait. With 20 digits (about 66 bits) a code
    /// is not found by guessing, so the count is a courtesy to the server, not what keeps cases closed.
    private func openCase(_ request: Request, code typed: String?) async throws -> Opened {
        let failures = request.application.receiptFailures
        let client = failures.key(forAddress: request.clientAddress)
        let now = request.application.clock.now()
        if let code = ReceiptCode(typed: typed ?? ""),
            let report = try await CaseDesk(app: request.application, database: request.db).find(code)
        {
            return .found(report, code)
        }
        guard failures.isUnderLimit(client, now: now) else {
            return .refused(
                try await self.renderTrackForm(
                    request, error: request.t("track.error.too_many"), status: .tooManyRequests))
        }
        failures.record(client, now: now)
        return .refused(
            try await self.renderTrackForm(
                request, error: request.t("track.error.unknown"), errorField: "kode", status: .unprocessableEntity))
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
            // What happened, in so many words: a closed case, a reopened one, or a message on its way.
            let notice: String
            switch request.parameters.get("tindakan") {
            case "terima": notice = request.t("track.flash.accepted")
            case "buka-kembali":
                notice = request.t("track.flash.reopened", try await report.$instansi.get(on: request.db).name)
            default: notice = request.t("track.flash.message")
            }
            return try await self.renderCase(request, report, code: code, notice: notice, error: nil)
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

    /// Pages of a case are the visitor's alone: never stored by a browser or a proxy, never named in a Referer.
    static func `private`(_ view: View, status: HTTPStatus, request: Request) async throws -> Response {
        let response = try await view.encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }
}
