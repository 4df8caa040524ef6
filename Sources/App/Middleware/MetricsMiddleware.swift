import Vapor

/// Counts and times every request by its route pattern (never its path), notes the page cache's outcome, and gives
/// the response the request's id (`X-Request-Id`), the one that every log line of the request carries and an error
/// page shows, so that a person's report of a failure leads to its log lines. Outermost, so that it sees error pages
/// too.
struct MetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            self.record(request, status: 500, since: start)
            throw error
        }
        self.record(request, status: response.status.code, since: start)
        if let outcome = response.headers.first(name: PageCacheMiddleware.header) {
            request.application.metrics.pageCache(outcome)
        }
        response.headers.replaceOrAdd(name: .xRequestId, value: request.id)
        return response
    }

    private func record(_ request: Request, status: UInt, since start: ContinuousClock.Instant) {
        request.application.metrics.requestFinished(
            route: Self.pattern(of: request), method: request.method.rawValue, status: status,
            duration: ContinuousClock.now - start)
    }

    /// `/laporan/baris/:target`, or `unmatched` for an address no route serves (so a scanner's paths never become
    /// series).
    static func pattern(of request: Request) -> String {
        guard let route = request.route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }
}
