import Fluent
import StranasCore
import Vapor

/// `/akun/kata-sandi`: a signed-in person changes their password, proving the current one first. Every other
/// session of the account ends; this browser continues in a new session.
struct PasswordChangeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.requiring(.useAccount)
        account.get(SiteURL.passwordChange, use: self.show)
        account.post(SiteURL.passwordChange, use: self.change)
    }

    struct ChangePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let email: String
        let minimumLength: Int
        let error: String?
        let done: Bool
    }

    struct ChangeForm: Content {
        var current: String?
        var password: String?
        var confirmation: String?
    }

    @Sendable func show(request: Request) async throws -> Response {
        try await self.render(request, error: nil, done: false, status: .ok)
    }

    private func render(_ request: Request, error: String?, done: Bool, status: HTTPStatus) async throws -> Response {
        let user = try request.requireSignedIn()
        let page = ChangePage(
            page: PageContext(request: request, title: request.t("password_change.title"), cycle: nil),
            csrfToken: request.csrfToken, email: user.user.email, minimumLength: PasswordPolicy.minimumLength,
            error: error, done: done)
        return try await request.view.render("change-password", page).encodeResponse(status: status, for: request)
    }

    @Sendable func change(request: Request) async throws -> Response {
        let signedIn = try request.requireSignedIn()
        let form = (try? request.content.decode(ChangeForm.self)) ?? ChangeForm()
        let rules = request.application.passwordRules
        guard rules.verify(form.current ?? "", against: signedIn.user.passwordHash) else {
            try await SignInAttempts.recordFailure(email: signedIn.user.email, request: request)
            return try await self.render(
                request, error: request.t("password_change.error.current"), done: false, status: .unprocessableEntity)
        }
        if let problem = rules.policy.problem(with: form.password ?? "", confirmation: form.confirmation ?? "") {
            return try await self.render(
                request, error: request.passwordProblemText(problem), done: false, status: .unprocessableEntity)
        }

        let user = signedIn.user
        try await request.accountDesk.changePassword(of: user, to: try rules.hash(form.password ?? ""))
        let response = try await self.render(request, error: nil, done: true, status: .ok)
        try await SessionStarter.start(for: user, stage: .active, request: request, response: response)
        return response
    }
}

extension Request {
    /// Why a new password was refused, in the reader's language.
    func passwordProblemText(_ problem: PasswordPolicy.Problem) -> String {
        switch problem {
        case .tooShort: self.t("password.error.too_short", String(PasswordPolicy.minimumLength))
        case .tooLong: self.t("password.error.too_long", String(PasswordPolicy.maximumLength))
        case .common: self.t("password.error.common")
        case .mismatch: self.t("password.error.mismatch")
        }
    }
}
