import Fluent
import Vapor

/// For the reporting API: finds the key in `Authorization: Bearer jst_...`, and lets the request through only with a
/// key that exists, is not revoked, and belongs to an instansi still active. Anything else is a 401 in the API's
/// error shape, with `WWW-Authenticate: Bearer`. The key's last use is written at most once a minute.
struct APITokenAuthenticator: AsyncMiddleware {
    static let touchInterval: TimeInterval = 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let header = request.headers.first(name: .authorization), header.lowercased().hasPrefix("bearer "),
            case let key = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces),
            key.hasPrefix(APIToken.keyPrefix), key.count < 200,
            let token = try await APIToken.query(on: request.db).filter(\.$tokenHash == SecureToken.hash(key))
                .with(\.$instansi).first(),
            token.revokedAt == nil, token.instansi.isActive
        else {
            throw APIError(
                status: .unauthorized, code: "unauthorized", messageKey: "api.error.unauthorized", arguments: [])
        }
        let now = request.application.clock.now()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > Self.touchInterval }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        request.apiToken = token
        return try await next.respond(to: request)
    }
}

extension Request {
    private struct APITokenKey: StorageKey {
        typealias Value = APIToken
    }

    /// The key of a reporting-API request, once `APITokenAuthenticator` has accepted it.
    var apiToken: APIToken? {
        get { self.storage[APITokenKey.self] }
        set { self.storage[APITokenKey.self] = newValue }
    }
}
