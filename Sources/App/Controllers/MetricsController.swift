import SQLKit
import Vapor

/// `/metrics`: the Prometheus text format (`PortalMetrics`), for a scraper that sends `Authorization: Bearer` with
/// `JAGA_METRICS_TOKEN`. Without that setting the address does not exist; with a wrong token it is a 404 too, so the
/// public cannot tell it is there.
struct MetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.metrics, use: self.scrape)
    }

    @Sendable func scrape(request: Request) async throws -> Response {
        guard let token = request.application.config.metricsToken,
            let sent = request.headers.bearerAuthorization?.token,
            SecureToken.constantTimeEquals(sent, token)
        else { throw Abort(.notFound) }
        let text = try await request.application.metrics.exposition(
            database: request.db as! any SQLDatabase, now: request.application.clock.now())
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
