import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: it can reach its database, so a load balancer may send it traffic.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.healthz, use: self.live)
        routes.get(SiteURL.readyz, use: self.ready)
    }

    @Sendable func live(request: Request) async throws -> Response {
        Self.plain("ok", status: .ok)
    }

    @Sendable func ready(request: Request) async throws -> Response {
        do {
            guard let sql = request.db as? any SQLDatabase else {
                return Self.plain("database unavailable", status: .serviceUnavailable)
            }
            try await sql.raw("SELECT 1").run()
            return Self.plain("ready", status: .ok)
        } catch {
            request.logger.warning("readiness check failed: \(DatabasePreparation.reason(error))")
            return Self.plain("database unavailable", status: .serviceUnavailable)
        }
    }

    private static func plain(_ text: String, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(string: text + "\n"))
        response.headers.contentType = .plainText
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
