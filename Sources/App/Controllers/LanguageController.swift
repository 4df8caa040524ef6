import StranasCore
import Vapor

/// `/bahasa/{kode}?kembali=/path`: switches the reader's language and returns to the page they were on. For a signed-in
/// person it is also the language of their notices and e-mails from then on.
struct LanguageController: RouteCollection {
    static let returnParameter = "kembali"
    static let cookieLifetime = 365 * 24 * 60 * 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.language, use: self.switchLanguage)
    }

    static func switchPath(to language: Language, returningTo path: String) -> String {
        SiteURL.language(language.rawValue, query: [(self.returnParameter, path)])
    }

    @Sendable func switchLanguage(request: Request) async throws -> Response {
        guard let code = request.parameters.get("kode"), let language = Language(rawValue: code) else {
            throw PageError.notFound("error.unknown_language")
        }
        // A signed-in person's notices and e-mails follow the language they last chose.
        if let signedIn = request.signedInUser {
            try await request.accountDesk.setLanguage(of: signedIn.user, to: language)
        }
        let target = ReturnPath.local(try? request.query.get(String.self, at: Self.returnParameter))
        let response = request.redirect(to: target, redirectType: .normal)
        response.cookies[Request.languageCookie] = HTTPCookies.Value(
            string: language.rawValue, maxAge: Self.cookieLifetime, path: "/",
            isSecure: request.application.config.servesOverTLS, isHTTPOnly: true,
            sameSite: .lax)
        return response
    }
}
