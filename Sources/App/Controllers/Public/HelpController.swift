import Vapor

/// `/bantuan`: help for everyone: the questions people ask most, who runs the portal and how to reach Setnas; every
/// page's footer links here. `/cara-menghitung`: how the scores are calculated, which the dashboard links to.
struct HelpController: RouteCollection {
    /// How many questions the FAQ answers (`help.faq.N.question` and `help.faq.N.answer` in the catalogs).
    static let questionCount = 6

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.help, use: self.show).knowing(query: [])
        routes.get(SiteURL.method, use: self.method).knowing(query: [])
    }

    struct Question: Encodable {
        let id: String
        let question: String
        let answer: String
    }

    struct HelpPage: Encodable {
        let page: PageContext
        let questions: [Question]
    }

    struct MethodPage: Encodable {
        let page: PageContext
    }

    @Sendable func method(request: Request) async throws -> View {
        try await request.view.render(
            "method", MethodPage(page: PageContext(request: request, title: request.t("help.method_link"), cycle: nil)))
    }

    @Sendable func show(request: Request) async throws -> View {
        try await request.view.render(
            "help",
            HelpPage(
                page: PageContext(request: request, title: request.t("help.title"), cycle: nil),
                questions: (1...Self.questionCount).map {
                    Question(
                        id: "tanya-\($0)", question: request.t("help.faq.\($0).question"),
                        answer: request.t("help.faq.\($0).answer"))
                }))
    }
}
