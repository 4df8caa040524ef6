import Fluent
import Vapor

/// `/token-api`: an Admin Instansi's keys for the instansi's own systems (the reporting API, `/api/v1/laporan`):
/// the list with when each was last used, making one (the key is shown once, on the answer to the form, and never
/// again), and revoking one. Both acts go to the security log.
struct APITokenController: RouteCollection {
    static let nameLimit = 100

    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.requiring(.manageAPITokens)
        admin.get(SiteURL.apiKeys, use: self.list)
        admin.post(SiteURL.apiKeys, use: self.create)
        admin.post(SiteURL.apiKeyRevoke, use: self.revoke)
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let prefix: String
        let creator: String
        let createdAt: String
        let lastUsed: String
        let revokedAt: String?
        /// Revoked because the person who made it was deactivated.
        let revokedWithCreator: Bool
    }

    struct TokenPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let instansi: String
        let rows: [Row]
        let hasRows: Bool
        /// The new key, on the answer to the form that made it; never shown again.
        let newKey: String?
        let newKeyName: String?
        let name: String
        let error: String?
        let notice: String?
    }

    @Sendable func list(request: Request) async throws -> Response {
        try await self.render(request)
    }

    private func render(
        _ request: Request, newKey: String? = nil, newKeyName: String? = nil, name: String = "",
        error: String? = nil, notice: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID, let instansi = try await Instansi.find(instansiID, on: request.db)
        else {
            throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: [])
        }
        let tokens = try await APIToken.query(on: request.db).filter(\.$instansi.$id == instansiID)
            .with(\.$creator).sort(\.$createdAt, .descending).sort(\.$id, .descending).all()
        let format = request.displayFormat
        let rows = tokens.map { token in
            Row(
                id: token.id ?? 0, name: token.name, prefix: token.prefix + "…", creator: token.creator?.name ?? "–",
                createdAt: format.timestamp(token.createdAt),
                lastUsed: token.lastUsedAt.map { format.timestamp($0) } ?? request.t("tokens.never_used"),
                revokedAt: token.revokedAt.map { format.timestamp($0) },
                revokedWithCreator: token.revokedBecause == "creator_deactivated")
        }
        let view = try await request.view.render(
            "api-tokens",
            TokenPage(
                page: PageContext(request: request, title: request.t("tokens.title"), cycle: nil),
                csrfToken: request.csrfToken, instansi: instansi.name, rows: rows, hasRows: !rows.isEmpty,
                newKey: newKey, newKeyName: newKeyName, name: name, error: error, notice: notice))
        let response = try await view.encodeResponse(status: status, for: request)
        // A page that shows a key is kept by nobody.
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    struct CreateForm: Content {
        var nama: String?
    }

    @Sendable func create(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let instansiID = user.instansiID else {
            throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: [])
        }
        let name = ((try? request.content.decode(CreateForm.self))?.nama ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Self.nameLimit else {
            return try await self.render(
                request, name: String(name.prefix(Self.nameLimit * 2)),
                error: request.t("tokens.name_required", String(Self.nameLimit)), status: .unprocessableEntity)
        }
        let (key, _) = try await request.accountDesk.makeAPIKey(named: name, for: instansiID)
        return try await self.render(request, newKey: key, newKeyName: name)
    }

    @Sendable func revoke(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let id = request.parameters.get("id", as: Int.self),
            let token = try await APIToken.query(on: request.db).filter(\.$id == id)
                .filter(\.$instansi.$id == (user.instansiID ?? -1)).first()
        else { throw PageError.notFound("error.token_not_found") }
        try await request.accountDesk.revoke(token)
        return try await self.render(request, notice: request.t("tokens.revoked", token.name))
    }
}
