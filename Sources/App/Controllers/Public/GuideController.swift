import Vapor

/// `/panduan`: how to fill in a report (panduan pengisian), one click from every reporting page.
struct GuideController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.guide, use: self.show).knowing(query: [])
    }

    struct GuidePage: Encodable {
        let page: PageContext
        let uploadLimitMB: Int
    }

    @Sendable func show(request: Request) async throws -> View {
        try await request.view.render(
            "guide",
            GuidePage(
                page: PageContext(request: request, title: request.t("guide.title"), cycle: nil),
                uploadLimitMB: request.application.config.uploadLimitBytes / 1_048_576))
    }
}
