import Vapor

/// `/healthz`: the process answers. `/readyz`: it can do its work (`Readiness`), so a load balancer may send it
/// traffic; within a bounded time, with each failed check on a line of its own.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.healthz, use: self.live)
        routes.get(SiteURL.readyz, use: self.ready)
    }

    @Sendable func live(request: Request) async throws -> Response {
        Self.plain("ok", status: .ok)
    }

    @Sendable func ready(request: Request) async throws -> Response {
        let problems = await Readiness(app: request.application).problems()
        guard problems.isEmpty else {
            request.logger.error("Not ready: \(problems.map(\.description).joined(separator: "; "))")
            return Self.plain(problems.map { "not ready: \($0)" }.joined(separator: "\n"), status: .serviceUnavailable)
        }
        return Self.plain("ready", status: .ok)
    }

    private static func plain(_ text: String, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(string: text + "\n"))
        response.headers.contentType = .plainText
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
