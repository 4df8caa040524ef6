import Fluent
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Vapor

/// `/masukan?aksi=N` (or `?instansi=ID`, `?baris=TARGET`): the usulan and pertanyaan Setnas has published about an
/// aksi, an instansi or a report line, each with the instansi's answer, and a form to add one (published after
/// Setnas has read it). Sending is limited per client address, which is kept in memory for the hour of the limit
/// only.
struct PublicInputController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.inputs, use: self.show)
        routes.post(SiteURL.inputs, use: self.submit)
    }

    struct Item: Encodable {
        /// The anchor of its permalink, "masukan-12".
        let anchor: String
        let kind: String
        let author: String
        let date: String
        let body: String
        let answer: String?
        let answerDate: String?
        let instansiName: String
    }

    /// The anchor of a published input on its list, which search results and permalinks point to.
    static func anchor(of id: Int) -> String { "masukan-\(id)" }

    struct KindOption: Encodable {
        let value: String
        let label: String
        let isChosen: Bool
    }

    struct Page: Encodable {
        let page: PageContext
        let csrfToken: String
        let about: String?
        let aksiNumber: Int?
        let targetID: Int?
        let fixedInstansiID: Int?
        let choices: [PublicReportController.SubjectChoice]
        let items: [Item]
        let hasItems: Bool
        let kinds: [KindOption]
        let author: String
        let email: String
        let body: String
        let notice: String?
        let error: String?
        /// The id of the field the error is about, when it is about one, and the summary's link to it.
        let errorField: String?
        let errorLink: String?
        /// The list's filters: by kind and by whether the instansi has answered, kept in the URL.
        let filter: Filter
        /// After sending: the confirmation panel's reference, a copy of what was sent, and where it will appear.
        let sent: Sent?
    }

    struct Filter: Encodable {
        let kinds: [SelectOption]
        let statuses: [SelectOption]
        let isActive: Bool
        let summary: String
    }

    /// `status` of the list: answered or not yet.
    static let statuses = ["dijawab", "belum-dijawab"]

    struct Sent: Encodable {
        let reference: String
        let kind: String
        let body: String
        let permalink: String
    }

    struct Form: Content {
        var jenis: String?
        var instansi: Int?
        var aksi: Int?
        var baris: Int?
        var nama: String?
        var surel: String?
        var isi: String?
        var situs: String?
    }

    @Sendable func show(request: Request) async throws -> Response {
        let aksi = try? request.query.get(Int.self, at: "aksi")
        let target = try? request.query.get(Int.self, at: "baris")
        let instansi = try? request.query.get(Int.self, at: "instansi")
        let subject = try await ParticipationSubject.resolve(
            aksi: aksi, target: target, instansi: instansi, request: request)
        return try await self.render(request, subject, form: Form(), notice: nil, error: nil, status: .ok)
    }

    /// The list's filters as the query gives them; unknown values show everything, as a list without a filter does.
    private func listFilter(_ request: Request) -> (kind: PublicInputKind?, status: String?) {
        (
            (try? request.query.get(String.self, at: "jenis")).flatMap(PublicInputKind.init(rawValue:)),
            (try? request.query.get(String.self, at: "status")).flatMap { Self.statuses.contains($0) ? $0 : nil }
        )
    }

    private func render(
        _ request: Request, _ subject: ParticipationSubject, form: Form, notice: String?, error: String?,
        errorField: String? = nil, sent: Sent? = nil, status: HTTPStatus
    ) async throws -> Response {
        var query = PublicInput.query(on: request.db).filter(\.$state == .disetujui).with(\.$instansi).sort(\.$id)
        if let targetID = subject.targetID {
            query = query.filter(\.$target.$id == targetID)
        } else if let aksiID = subject.aksiID {
            query = query.filter(\.$aksi.$id == aksiID)
        } else if let instansiID = subject.fixedInstansiID {
            query = query.filter(\.$instansi.$id == instansiID)
        }
        let chosen = request.method == .GET ? self.listFilter(request) : (kind: nil, status: nil)
        if let kind = chosen.kind { query = query.filter(\.$kind == kind) }
        switch chosen.status {
        case "dijawab": query = query.filter(\.$answer != nil)
        case "belum-dijawab": query = query.filter(\.$answer == nil)
        default: break
        }
        let format = request.displayFormat
        func date(_ iso: String?) -> String? { iso.flatMap(CalendarDate.init(iso:)).map { format.date($0) } }
        let items = try await query.all().map { input in
            Item(
                anchor: Self.anchor(of: input.id ?? 0),
                kind: request.t("input.kind.\(input.kind.rawValue)"),
                author: input.author.isEmpty ? request.t("input.anonymous") : input.author,
                date: date(input.createdOn) ?? input.createdOn, body: input.body, answer: input.answer,
                answerDate: date(input.answeredOn), instansiName: input.instansi.name)
        }
        let chosenKind = form.jenis ?? PublicInputKind.usulan.rawValue
        let page = Page(
            page: PageContext(request: request, title: request.t("input.title"), cycle: nil),
            csrfToken: request.csrfToken, about: subject.about, aksiNumber: subject.aksiNumber,
            targetID: subject.targetID, fixedInstansiID: subject.fixedInstansiID,
            choices: subject.choices.map {
                PublicReportController.SubjectChoice(id: $0.id, name: $0.name, isChosen: $0.id == form.instansi)
            },
            items: items, hasItems: !items.isEmpty,
            kinds: PublicInputKind.allCases.map {
                KindOption(
                    value: $0.rawValue, label: request.t("input.kind.\($0.rawValue)"),
                    isChosen: $0.rawValue == chosenKind)
            },
            author: form.nama ?? "", email: form.surel ?? "", body: notice == nil ? form.isi ?? "" : "", notice: notice,
            error: error, errorField: error == nil ? nil : errorField,
            errorLink: error == nil ? nil : errorField.map { "#" + $0 },
            filter: Filter(
                kinds: [
                    SelectOption(value: "", label: request.t("input.filter.all_kinds"), selected: chosen.kind == nil)
                ]
                    + PublicInputKind.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: request.t("input.kind.\($0.rawValue)"),
                            selected: $0 == chosen.kind)
                    },
                statuses: [
                    SelectOption(
                        value: "", label: request.t("input.filter.all_statuses"), selected: chosen.status == nil)
                ]
                    + Self.statuses.map {
                        SelectOption(value: $0, label: request.t("input.filter.\($0)"), selected: $0 == chosen.status)
                    },
                isActive: chosen.kind != nil || chosen.status != nil,
                summary: request.t("input.filter.count", String(items.count))),
            sent: sent)
        let response = try await request.view.render("public-input", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func submit(request: Request) async throws -> Response {
        let form = (try? request.content.decode(Form.self)) ?? Form()
        let subject = try await ParticipationSubject.resolve(
            aksi: form.aksi, target: form.baris, instansi: form.baris == nil ? form.instansi : nil, request: request)
        func again(
            _ key: String, _ status: HTTPStatus, _ arguments: String..., field: String? = nil
        ) async throws -> Response {
            try await self.render(
                request, subject, form: form, notice: nil,
                error: request.application.locales.text(key, request.language, arguments), errorField: field,
                status: status)
        }
        guard (form.situs ?? "").isEmpty else {
            return try await again("report.public.error.machine", .unprocessableEntity)
        }
        guard let kind = form.jenis.flatMap(PublicInputKind.init(rawValue:)) else {
            return try await again("input.error.kind", .unprocessableEntity, field: "jenis-usulan")
        }
        let instansiID = subject.instansi(chosen: form.instansi)
        guard let instansiID else {
            return try await again("report.public.error.instansi", .unprocessableEntity, field: "instansi")
        }
        guard
            request.application.inputSubmissions.admit(
                request.application.inputSubmissions.key(forAddress: request.clientAddress),
                now: request.application.clock.now())
        else { return try await again("input.error.too_many", .tooManyRequests) }
        let result = try await InputDesk(app: request.application, database: request.db).submit(
            .init(
                kind: kind, instansiID: instansiID, aksiID: subject.aksiID, targetID: subject.targetID,
                author: form.nama ?? "", email: form.surel ?? "", body: form.isi ?? ""))
        switch result {
        case .success(let id):
            let sent = Sent(
                reference: request.t("input.reference", String(id)), kind: request.t("input.kind.\(kind.rawValue)"),
                body: (form.isi ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                permalink: SiteURL.inputs(
                    query: [("instansi", String(instansiID))], fragment: Self.anchor(of: id)))
            return try await self.render(
                request, subject, form: Form(jenis: kind.rawValue), notice: nil, error: nil, sent: sent,
                status: .created)
        case .failure(.bodyTooShort):
            return try await again("input.error.short", .unprocessableEntity, field: "teks-masukan")
        case .failure(.bodyTooLong):
            return try await again(
                "input.error.long", .unprocessableEntity, String(InputDesk.bodyLimit), field: "teks-masukan")
        case .failure(.authorTooLong):
            return try await again(
                "input.error.author", .unprocessableEntity, String(InputDesk.authorLimit), field: "nama")
        case .failure: return try await again("input.error.email", .unprocessableEntity, field: "surel")
        }
    }
}
