import Fluent
import StranasCore
import Vapor

/// `/setnas/masukan`: Setnas publishes usulan and pertanyaan, refuses them with a reason, or marks them duplicates.
/// `/masukan-instansi`: the instansi's Focal Point answers the published ones addressed to it, in public.
struct InputDeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let setnas = routes.requiring(.handlePublicInput)
        setnas.get(SiteURL.setnasInputs, use: { try await self.list($0, isSetnas: true) })
        setnas.post(SiteURL.setnasInputDecision, use: self.moderate)
        let instansi = routes.requiring(.submitInstansiReport)
        instansi.get(SiteURL.instansiInputs, use: { try await self.list($0, isSetnas: false) })
        instansi.post(SiteURL.instansiInputAnswer, use: self.answer)
    }

    struct Row: Encodable {
        let id: Int
        let kind: String
        let state: String
        let author: String
        let date: String
        let body: String
        let about: String
        let answer: String?
        let isWaiting: Bool
    }

    @Sendable func list(_ request: Request, isSetnas: Bool, error: String? = nil) async throws -> View {
        let user = try request.requireSignedIn()
        var query = PublicInput.query(on: request.db).with(\.$instansi).with(\.$aksi).sort(\.$id, .descending)
        if isSetnas {
            query = query.range(..<200)
        } else {
            query = query.filter(\.$instansi.$id == (user.instansiID ?? -1)).filter(\.$state == .disetujui)
        }
        let format = request.displayFormat
        let rows = try await query.all().map { input in
            Row(
                id: input.id!, kind: request.t("input.kind.\(input.kind.rawValue)"),
                state: request.t("input.state.\(input.state.rawValue)"),
                author: input.author.isEmpty ? request.t("input.anonymous") : input.author,
                date: CalendarDate(iso: input.createdOn).map { format.date($0) } ?? input.createdOn, body: input.body,
                about: input.aksi.map { request.t("aksi.title", String($0.number), $0.title) + " · " }.map {
                    $0 + input.instansi.name
                }
                    ?? input.instansi.name,
                answer: input.answer, isWaiting: input.state == .menunggu)
        }
        struct Page: Encodable {
            let page: PageContext
            let csrfToken: String
            let isSetnas: Bool
            let rows: [Row]
            let hasRows: Bool
            let notice: String?
            let error: String?
        }
        return try await request.view.render(
            "input-desk",
            Page(
                page: PageContext(request: request, title: request.t("input.desk_title"), cycle: nil),
                csrfToken: request.csrfToken, isSetnas: isSetnas, rows: rows, hasRows: !rows.isEmpty,
                notice: (try? request.query.get(String.self, at: "pesan")).map { _ in request.t("track.saved") },
                error: error))
    }

    struct DecisionForm: Content {
        var catatan: String?
        var asli: Int?
        var isi: String?
    }

    private func text(_ problem: InputDesk.Problem, request: Request) -> String {
        switch problem {
        case .reasonRequired: request.t("case.error.reason")
        case .unknownOriginal: request.t("input.error.original")
        case .bodyTooLong: request.t("input.error.long", String(InputDesk.bodyLimit))
        default: request.t("case.error.not_now")
        }
    }

    @Sendable func moderate(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let id = request.parameters.get("id", as: Int.self),
            let input = try await PublicInput.find(id, on: request.db),
            let decision = request.parameters.get("keputusan").flatMap(PublicInputModeration.init(rawValue:))
        else { throw PageError.notFound() }
        let form = (try? request.content.decode(DecisionForm.self)) ?? DecisionForm()
        let result = try await InputDesk(app: request.application, database: request.db).moderate(
            input, decision, note: form.catatan ?? "", original: form.asli, by: user.user)
        switch result {
        case .success: return request.redirect(to: SiteURL.setnasInputs() + "?pesan=tersimpan", redirectType: .normal)
        case .failure(let problem):
            return try await self.list(request, isSetnas: true, error: self.text(problem, request: request))
                .encodeResponse(status: .unprocessableEntity, for: request)
        }
    }

    @Sendable func answer(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let id = request.parameters.get("id", as: Int.self),
            let input = try await PublicInput.find(id, on: request.db),
            input.$instansi.id == user.instansiID
        else { throw PageError.notFound() }
        let form = (try? request.content.decode(DecisionForm.self)) ?? DecisionForm()
        switch try await InputDesk(app: request.application, database: request.db).answer(
            input, with: form.isi ?? "", by: user.user)
        {
        case .success: return request.redirect(to: SiteURL.instansiInputs() + "?pesan=tersimpan", redirectType: .normal)
        case .failure(let problem):
            return try await self.list(request, isSetnas: false, error: self.text(problem, request: request))
                .encodeResponse(status: .unprocessableEntity, for: request)
        }
    }
}
