import Fluent
import StranasCore
import Vapor

/// The staff's side of laporan penyimpangan. `/setnas/laporan-masyarakat`: Setnas checks each case, refuses it with
/// a reason or forwards it to the instansi. `/laporan-masyarakat`: the instansi's Focal Point reads the cases
/// forwarded to it and gives the official answer within 7 working days. Both write to the reporter.
struct CaseDeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let setnas = routes.requiring(.handlePublicInput)
        setnas.get(SiteURL.setnasCases, use: { try await self.list($0, reader: .setnas) })
        setnas.get(SiteURL.setnasCase, use: { try await self.show($0, reader: .setnas) })
        setnas.post(SiteURL.setnasCaseAction, use: { try await self.act($0, reader: .setnas) })
        setnas.get(SiteURL.setnasCaseFile, use: { try await self.download($0, reader: .setnas) })
        // Not under "buka-kontak": the router would take that word for this route and never reach :tindakan.
        setnas.post(SiteURL.setnasCaseReveal, use: self.approveReveal)
        let instansi = routes.requiring(.submitInstansiReport)
        instansi.get(SiteURL.instansiCases, use: { try await self.list($0, reader: .instansi) })
        instansi.get(SiteURL.instansiCase, use: { try await self.show($0, reader: .instansi) })
        instansi.post(SiteURL.instansiCaseAction, use: { try await self.act($0, reader: .instansi) })
        instansi.get(SiteURL.instansiCaseFile, use: { try await self.download($0, reader: .instansi) })
    }

    struct Row: Encodable {
        let number: Int
        let url: String
        let state: String
        let stateCode: String
        let instansiName: String
        let created: String
        let due: String?
        let isOverdue: Bool
    }

    struct ListPage: Encodable {
        let page: PageContext
        let isSetnas: Bool
        let open: [Row]
        let closed: [Row]
        let hasOpen: Bool
        let hasClosed: Bool
    }

    @Sendable func list(_ request: Request, reader: CaseView.Reader) async throws -> View {
        let user = try request.requireSignedIn()
        var query = PublicCase.query(on: request.db).with(\.$instansi).sort(\.$id)
        if reader == .instansi {
            query = query.filter(\.$instansi.$id == (user.instansiID ?? -1)).filter(\.$forwardedOn != nil)
        }
        let format = request.displayFormat
        let today = request.application.clock.today.iso
        let show = reader == .setnas ? SiteURL.setnasCase : SiteURL.instansiCase
        let rows = try await query.all().map { report in
            Row(
                number: report.id!, url: show(report.id!),
                state: request.t("case.state.\(report.state.rawValue)"),
                stateCode: report.state.rawValue, instansiName: report.instansi.name,
                created: CalendarDate(iso: report.createdOn).map { format.date($0) } ?? report.createdOn,
                due: report.state == .diteruskan
                    ? report.dueOn.flatMap(CalendarDate.init(iso:)).map { format.date($0) } : nil,
                isOverdue: report.state == .diteruskan && (report.dueOn ?? "9999") < today)
        }
        let open = rows.filter { !(CaseState(rawValue: $0.stateCode)?.isClosed ?? true) }
        let closed = rows.filter { CaseState(rawValue: $0.stateCode)?.isClosed ?? false }
        return try await request.view.render(
            "case-list",
            ListPage(
                page: PageContext(request: request, title: request.t("case.list_title"), cycle: nil),
                isSetnas: reader == .setnas, open: open, closed: closed.reversed(), hasOpen: !open.isEmpty,
                hasClosed: !closed.isEmpty))
    }

    /// The case, when this reader may see it: Setnas every case, an instansi those forwarded to it.
    private func load(_ request: Request, reader: CaseView.Reader) async throws -> PublicCase {
        let user = try request.requireSignedIn()
        guard let id = request.parameters.get("id", as: Int.self),
            let report = try await PublicCase.find(id, on: request.db)
        else { throw PageError.notFound("case.error.unknown") }
        if reader == .instansi, report.$instansi.id != user.instansiID || report.forwardedOn == nil {
            throw PageError.notFound("case.error.unknown")
        }
        return report
    }

    @Sendable func show(_ request: Request, reader: CaseView.Reader) async throws -> Response {
        try await self.render(request, try await self.load(request, reader: reader), reader: reader, error: nil)
    }

    /// Where each of a case's forms posts, for the reader's side of the desk.
    struct Actions: Encodable {
        let verify: String
        let forward: String
        let reject: String
        let answer: String
        let revealContact: String
        let message: String
    }

    private func render(
        _ request: Request, _ report: PublicCase, reader: CaseView.Reader, error: String?, draft: String = "",
        status: HTTPStatus = .ok
    ) async throws -> Response {
        struct Page: Encodable {
            let page: PageContext
            let csrfToken: String
            let report: CaseView
            let actions: Actions
            let isSetnas: Bool
            let notice: String?
            let error: String?
            let draft: String
        }
        let id = try report.requireID()
        let action = reader == .setnas ? SiteURL.setnasCaseAction : SiteURL.instansiCaseAction
        let view = try await CaseView.load(
            report, for: reader, request: request,
            fileRoute: reader == .setnas ? SiteURL.setnasCaseFile : SiteURL.instansiCaseFile)
        let page = Page(
            page: PageContext(
                request: request, title: request.t("case.staff_title", String(report.id ?? 0)), cycle: nil),
            csrfToken: request.csrfToken,
            report: view,
            actions: Actions(
                verify: action(id, "verifikasi"), forward: action(id, "teruskan"), reject: action(id, "tolak"),
                answer: action(id, "tanggapi"), revealContact: action(id, "buka-kontak"), message: action(id, "pesan")),
            isSetnas: reader == .setnas,
            notice: (try? request.query.get(String.self, at: "pesan")).map {
                Self.flash($0, view: view, request: request)
            },
            error: error,
            draft: draft)
        let response = try await request.view.render("case-staff", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    /// An attachment, opened from its sealed file, as a download that never renders in the portal's origin.
    @Sendable func download(_ request: Request, reader: CaseView.Reader) async throws -> Response {
        let report = try await self.load(request, reader: reader)
        guard let fileID = request.parameters.get("file", as: Int.self),
            let file = try await PublicCaseFile.query(on: request.db).filter(\.$id == fileID)
                .filter(\.$publicCase.$id == report.requireID()).first()
        else { throw PageError.notFound("case.error.unknown") }
        let data = try CaseDesk(app: request.application, database: request.db).content(of: file)
        let name = try CaseDesk(app: request.application, database: request.db).name(of: file)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: file.kind.contentType)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: EvidenceController.attachmentDisposition(fileName: name))
        response.headers.cacheControl = .init(noStore: true)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        return response
    }

    struct ActionForm: Content {
        var versi: Int?
        var isi: String?
        var penerima: Int?
    }

    static func revealText(_ problem: CaseDesk.RevealProblem, request: Request) -> String {
        switch problem {
        case .reasonRequired: request.t("case.error.reason")
        case .noContact: request.t("case.reveal.error.no_contact")
        case .unknownRecipient: request.t("case.reveal.error.recipient")
        case .ownRequest: request.t("case.reveal.error.own")
        case .alreadyApproved: request.t("case.reveal.error.approved")
        }
    }

    /// The flash after an action (`pesan` names it): what happened and what follows, e.g. "Diteruskan ke LKPP; batas
    /// tanggapan 14 April 2021".
    static func flash(_ action: String, view: CaseView, request: Request) -> String {
        switch action {
        case "pesan": request.t("case.flash.message")
        case "verifikasi": request.t("case.flash.verified")
        case "teruskan": request.t("case.flash.forwarded", view.instansiName, view.due ?? "–")
        case "tolak": request.t("case.flash.rejected")
        case "tanggapi": request.t("case.flash.answered")
        default: request.t("track.saved")
        }
    }

    /// The second Admin Setnas's approval of a reveal.
    @Sendable func approveReveal(request: Request) async throws -> Response {
        let report = try await self.load(request, reader: .setnas)
        let user = try request.requireSignedIn()
        guard let revealID = request.parameters.get("reveal", as: Int.self),
            let reveal = try await ContactReveal.query(on: request.db).filter(\.$id == revealID)
                .filter(\.$publicCase.$id == report.requireID()).first()
        else { throw PageError.notFound("case.error.unknown") }
        switch try await CaseDesk(app: request.application, database: request.db).approveReveal(
            reveal, of: report, by: user.user)
        {
        case .success:
            return request.redirect(
                to: SiteURL.setnasCase(report.id!, query: [("pesan", "tersimpan")]), redirectType: .normal)
        case .failure(let problem):
            return try await self.render(
                request, report, reader: .setnas, error: Self.revealText(problem, request: request),
                status: .unprocessableEntity)
        }
    }

    @Sendable func act(_ request: Request, reader: CaseView.Reader) async throws -> Response {
        let report = try await self.load(request, reader: reader)
        let user = try request.requireSignedIn()
        let form = (try? request.content.decode(ActionForm.self)) ?? ActionForm()
        let desk = CaseDesk(app: request.application, database: request.db)
        let actor = CaseDesk.Actor(kind: reader == .setnas ? .setnas : .instansi, user: user.user)
        let text = form.isi ?? ""
        let outcome: Result<Void, CaseDesk.Problem>
        func step(_ action: CaseAction, note: String?) async throws -> Result<Void, CaseDesk.Problem> {
            try await desk.take(action, on: report, by: actor, note: note, expectedVersion: form.versi ?? -1).map { _ in
            }
        }
        switch (reader, request.parameters.get("tindakan")) {
        case (_, "pesan"): outcome = try await desk.say(text, on: report, by: actor)
        case (.setnas, "verifikasi"): outcome = try await step(.verify, note: text.isEmpty ? nil : text)
        case (.setnas, "teruskan"): outcome = try await step(.forward, note: text.isEmpty ? nil : text)
        case (.setnas, "tolak"): outcome = try await step(.reject, note: text)
        case (.instansi, "tanggapi"): outcome = try await step(.answer, note: text)
        case (.setnas, "buka-kontak"):
            let result = try await desk.requestReveal(
                of: report, to: form.penerima ?? -1, reason: text, by: user.user)
            if case .failure(let problem) = result {
                return try await self.render(
                    request, report, reader: reader, error: Self.revealText(problem, request: request),
                    status: .unprocessableEntity)
            }
            outcome = .success(())
        default: throw PageError.notFound()
        }
        switch outcome {
        case .success:
            let show = reader == .setnas ? SiteURL.setnasCase : SiteURL.instansiCase
            let done = request.parameters.get("tindakan") ?? "tersimpan"
            return request.redirect(to: show(report.id!, query: [("pesan", done)]), redirectType: .normal)
        case .failure(let problem):
            return try await self.render(
                request, report, reader: reader, error: CaseText.problem(problem, request: request), draft: text,
                status: problem == .conflict ? .conflict : .unprocessableEntity)
        }
    }
}
