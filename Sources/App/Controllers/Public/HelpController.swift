import Vapor

/// `/bantuan`: help for everyone: the questions people ask most, how the scores are calculated, who runs the portal
/// and how to reach Setnas. Every page's footer links here.
struct HelpController: RouteCollection {
    /// The anchor of the section on how scores are calculated, which the dashboard links to.
    static let methodSection = "cara-menghitung"
    /// How many questions the FAQ answers (`help.faq.N.question` and `help.faq.N.answer` in the catalogs).
    static let questionCount = 6

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.help, use: self.show).knowing(query: [])
    }

    struct Question: Encodable {
        let id: String
        let question: String
        let answer: String
    }

    struct HelpPage: Encodable {
        let page: PageContext
        let questions: [Question]
        let methodSection: String
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
                },
                methodSection: Self.methodSection))
    }
}
